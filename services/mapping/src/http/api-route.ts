import type { z } from 'zod';
import type { ApiErrorCode } from './api-error';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * One control API route as data: the server validates and dispatches from it and the OpenAPI document is
 * generated from it, so the two cannot drift apart.
 */
export interface ApiRoute {
  method: HttpMethod;
  /** Express-style path, e.g. /v1/integrations/:id */
  path: string;
  summary: string;
  tag: string;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Absent for routes that answer 204 with no body. */
  response?: z.ZodType;
  status: 200 | 201 | 202 | 204;
  /** Errors this route can answer besides unauthorized and invalid_request. */
  errors: ApiErrorCode[];
}

export function defineRoute<const R extends ApiRoute>(route: R): R {
  return route;
}

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteInput<R extends ApiRoute> {
  params: Parsed<R['params']>;
  query: Parsed<R['query']>;
  body: Parsed<R['body']>;
}

export type RouteHandler<R extends ApiRoute> = (
  input: RouteInput<R>,
) => Promise<R['response'] extends z.ZodType ? z.input<R['response']> : void>;

export type RouteHandlers<Routes extends Record<string, ApiRoute>> = {
  [K in keyof Routes]: RouteHandler<Routes[K]>;
};
