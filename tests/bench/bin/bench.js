#!/usr/bin/env node
// `npm run bench`: runs the TypeScript bench as Jest runs tests (SWC, decorator metadata), against the built services.
const { readFileSync } = require('node:fs');
const Module = require('node:module');
const { transformSync } = require('@swc/core');
process.setSourceMapsEnabled(true);
require('reflect-metadata'); // NestJS decorators in the libraries the e2e stack loads read metadata through it

const SWC = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

Module._extensions['.ts'] = (module, filename) => {
  module._compile(transformSync(readFileSync(filename, 'utf8'), { ...SWC, filename }).code, filename);
};

require('../src/main.ts');
