import { z } from 'zod';
import { API_ERROR_STATUS, ApiErrorBody, type ApiErrorCode } from './api-error';
import type { ApiRoute } from './api-route';

type JsonSchema = Record<string, unknown>;

/** Errors every authenticated, validated route can answer. */
const COMMON_ERRORS: ApiErrorCode[] = ['invalid_request', 'unauthorized'];
/** Errors every route that takes a body can answer besides. */
const BODY_ERRORS: ApiErrorCode[] = ['payload_too_large'];

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

function parametersOf(schema: z.ZodType | undefined, location: 'path' | 'query'): JsonSchema[] {
  if (!schema) return [];
  const objectSchema = jsonSchema(schema, 'input');
  const properties = (objectSchema['properties'] ?? {}) as Record<string, JsonSchema>;
  const required = new Set((objectSchema['required'] ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...propertySchema } = property;
    return { name, in: location, required: location === 'path' || required.has(name), description, schema: propertySchema };
  });
}

function operationOf(operationId: string, route: ApiRoute): JsonSchema {
  const responses: Record<string, JsonSchema> = {
    [String(route.status)]: route.response
      ? { description: route.summary, content: { 'application/json': { schema: jsonSchema(route.response, 'output') } } }
      : { description: route.summary },
  };
  for (const code of [...COMMON_ERRORS, ...(route.body ? BODY_ERRORS : []), ...route.errors]) {
    responses[String(API_ERROR_STATUS[code])] = {
      description: code,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    };
  }
  return {
    operationId,
    summary: route.summary,
    tags: [route.tag],
    parameters: [...parametersOf(route.params, 'path'), ...parametersOf(route.query, 'query')],
    ...(route.body && {
      requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.body, 'input') } } },
    }),
    responses,
  };
}

/** The OpenAPI 3.1 document of a set of routes; every operation requires the bearer token. */
export function buildOpenApiDocument(routes: Record<string, ApiRoute>, info: { title: string; version: string }): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const [operationId, route] of Object.entries(routes)) {
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    paths[path] = { ...paths[path], [route.method]: operationOf(operationId, route) };
  }
  return {
    openapi: '3.1.0',
    info,
    security: [{ bearerAuth: [] }],
    paths,
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } },
      schemas: { Error: jsonSchema(ApiErrorBody, 'output') },
    },
  };
}
