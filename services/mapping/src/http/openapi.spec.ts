import { z } from 'zod';
import { defineRoute } from './api-route';
import { buildOpenApiDocument } from './openapi';

describe('OpenAPI document from route data', () => {
  const routes = {
    getThing: defineRoute({
      method: 'get',
      path: '/v1/things/:id',
      tag: 'things',
      summary: 'Read a thing',
      params: z.object({ id: z.uuid().describe('the thing') }),
      query: z.object({ verbose: z.stringbool().default(false) }),
      response: z.object({ id: z.string() }),
      status: 200,
      errors: ['not_found'],
    }),
    deleteThing: defineRoute({
      method: 'delete',
      path: '/v1/things/:id',
      tag: 'things',
      summary: 'Delete a thing',
      params: z.object({ id: z.uuid() }),
      status: 204,
      errors: [],
    }),
    renameThing: defineRoute({
      method: 'put',
      path: '/v1/things/:id',
      tag: 'things',
      summary: 'Rename a thing',
      params: z.object({ id: z.uuid() }),
      body: z.object({ name: z.string() }),
      status: 204,
      errors: ['conflict'],
    }),
  };
  const document = buildOpenApiDocument(routes, { title: 'test', version: '1' }) as {
    paths: Record<string, Record<string, { parameters: unknown[]; responses: Record<string, unknown> }>>;
  };

  it('turns express paths into OpenAPI paths, one operation per method', () => {
    expect(Object.keys(document.paths)).toEqual(['/v1/things/{id}']);
    expect(Object.keys(document.paths['/v1/things/{id}'])).toEqual(['get', 'delete', 'put']);
  });

  it('describes path and query parameters', () => {
    expect(document.paths['/v1/things/{id}'].get.parameters).toEqual([
      { name: 'id', in: 'path', required: true, description: 'the thing', schema: expect.objectContaining({ type: 'string', format: 'uuid' }) },
      { name: 'verbose', in: 'query', required: false, schema: expect.objectContaining({ type: 'string' }) },
    ]);
  });

  it('lists the success response and every error the route can answer', () => {
    expect(Object.keys(document.paths['/v1/things/{id}'].get.responses)).toEqual(['200', '400', '401', '404']);
    expect(document.paths['/v1/things/{id}'].delete.responses['204']).toEqual({ description: 'Delete a thing' });
    // A route that takes a body can also refuse one too large.
    expect(Object.keys(document.paths['/v1/things/{id}'].put.responses)).toEqual(['204', '400', '401', '409', '413']);
  });
});
