import type { AbstractHttpAdapter } from '@nestjs/core';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { ApiError, invalidRequest } from './api-error';
import type { ApiRoute, RouteHandlers } from './api-route';
import { nulCharacterIssues } from './nul-characters';

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
  const nulCharacters = nulCharacterIssues(value);
  if (nulCharacters.length > 0) throw new ApiError('invalid_request', 'the request is not valid', nulCharacters);
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
  // JSON only, never sniffed as anything else: names and settings come back exactly as they were sent.
  const reply = (response: unknown, body: unknown, status: number) => {
    adapter.setHeader(response, 'X-Content-Type-Options', 'nosniff');
    adapter.reply(response, body, status);
  };
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
        reply(response, route.response ? route.response.parse(result) : undefined, route.status);
      } catch (error) {
        if (error instanceof ApiError) {
          reply(response, error.toBody(), error.status);
          return;
        }
        options.logger.error({ err: error, route: `${route.method.toUpperCase()} ${route.path}` }, 'control API request failed');
        reply(response, new ApiError('internal', 'internal error').toBody(), 500);
      }
    });
  }
  // The body parsers run before any route and hand their failures to error middleware (recognised by its four
  // parameters): answer them in the API's own shape, never as Express's HTML page, and to an unauthenticated caller
  // only with 401.
  adapter.use((error: BodyParserError, request: IncomingRequest, response: unknown, _next: unknown) => {
    const failure = bodyParserFailure(error);
    if (failure.code === 'internal') options.logger.error({ err: error }, 'control API request failed before its route');
    try {
      authenticate(request);
    } catch (refusal) {
      if (!(refusal instanceof ApiError)) throw refusal;
      reply(response, refusal.toBody(), refusal.status);
      return;
    }
    reply(response, failure.toBody(), failure.status);
  });
}

/** What body-parser's errors carry besides the message. */
interface BodyParserError extends Error {
  type?: string;
  status?: number;
  limit?: number;
}

function bodyParserFailure(error: BodyParserError): ApiError {
  if (error?.type === 'entity.too.large') return new ApiError('payload_too_large', `the body is larger than ${error.limit} bytes`);
  if (error?.type === 'entity.parse.failed') return new ApiError('invalid_request', 'the body is not valid JSON');
  // Unsupported encodings and charsets, aborted or mis-sized bodies: the caller's request, not the server, is wrong.
  if (error?.type && error.status && error.status < 500) return new ApiError('invalid_request', `the body cannot be read: ${error.message}`);
  return new ApiError('internal', 'internal error');
}
