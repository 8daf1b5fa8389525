import type { AbstractHttpAdapter } from '@nestjs/core';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { ApiError, invalidRequest } from './api-error';
import type { ApiRoute, RouteHandlers } from './api-route';

/** The parts of an Express request the dispatcher reads. */
interface IncomingRequest {
  headers: Record<string, string | string[] | undefined>;
  params: unknown;
  query: unknown;
  body: unknown;
}

export interface RouteServerOptions {
  /** Throws an ApiError('unauthorized') when the request may not call the route. */
  authenticate(authorization: string | undefined): void;
  logger: Logger;
}

function parseInput(schema: z.ZodType | undefined, value: unknown): unknown {
  if (!schema) return undefined;
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalidRequest(parsed.error);
  return parsed.data;
}

/**
 * Registers every route on the HTTP adapter: authenticate, validate params/query/body with the route's zod
 * schemas, run the handler, shape the answer with the response schema (so nothing outside it can leak,
 * e.g. credentials a connector echoed back), and answer errors as { error, message?, issues? }.
 */
export function registerRoutes<Routes extends Record<string, ApiRoute>>(
  adapter: AbstractHttpAdapter,
  routes: Routes,
  handlers: RouteHandlers<Routes>,
  options: RouteServerOptions,
): void {
  const authenticate = (request: IncomingRequest) => {
    const authorization = request.headers['authorization'];
    options.authenticate(Array.isArray(authorization) ? authorization[0] : authorization);
  };
  for (const [name, route] of Object.entries(routes)) {
    const handler = handlers[name] as (input: unknown) => Promise<unknown>;
    adapter[route.method](route.path, async (request: IncomingRequest, response: unknown) => {
      try {
        authenticate(request);
        const result = await handler({
          params: parseInput(route.params, request.params),
          query: parseInput(route.query, request.query),
          body: parseInput(route.body, request.body),
        });
        adapter.reply(response, route.response ? route.response.parse(result) : undefined, route.status);
      } catch (error) {
        if (error instanceof ApiError) {
          adapter.reply(response, error.toBody(), error.status);
          return;
        }
        options.logger.error({ err: error, route: `${route.method.toUpperCase()} ${route.path}` }, 'control API request failed');
        adapter.reply(response, new ApiError('internal', 'internal error').toBody(), 500);
      }
    });
  }
  // The JSON body parser runs before any route and hands its failure to error middleware (recognised by its four
  // parameters); answer it in the API's own shape, and to an unauthenticated caller only with 401.
  adapter.use((error: { type?: string }, request: IncomingRequest, response: unknown, next: (error: unknown) => void) => {
    if (error?.type !== 'entity.parse.failed') return next(error);
    try {
      authenticate(request);
      adapter.reply(response, new ApiError('invalid_request', 'the body is not valid JSON').toBody(), 400);
    } catch (failure) {
      const apiError = failure instanceof ApiError ? failure : new ApiError('internal');
      adapter.reply(response, apiError.toBody(), apiError.status);
    }
  });
}
