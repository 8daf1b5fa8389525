// NestJS and TypeORM decorators read metadata through the reflect-metadata polyfill.
require('reflect-metadata');
