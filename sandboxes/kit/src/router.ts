import type { Reply } from './http/reply';
import type { SandboxRequest } from './http/request';

/** A route handler; `data` is the sandbox's collections (whatever its `createData` returned). */
export type Handler<C> = (request: SandboxRequest, data: C) => Reply | Promise<Reply>;

interface Route<C> {
  method: string;
  segments: string[];
  handler: Handler<C>;
}

export interface RouteMatch<C> {
  handler: Handler<C>;
  params: Record<string, string>;
}

/**
 * Method + path routing. Patterns are literal segments and `:name` parameters (`/customers/:id`); empty segments
 * are ignored, so a trailing slash matches too. The first registered match wins: register `/products/categories`
 * before `/products/:id`.
 */
export class Router<C> {
  constructor(
    private readonly routes: Route<C>[] = [],
    private readonly prefix = '',
  ) {}

  get(pattern: string, handler: Handler<C>): this {
    return this.add('GET', pattern, handler);
  }

  post(pattern: string, handler: Handler<C>): this {
    return this.add('POST', pattern, handler);
  }

  put(pattern: string, handler: Handler<C>): this {
    return this.add('PUT', pattern, handler);
  }

  patch(pattern: string, handler: Handler<C>): this {
    return this.add('PATCH', pattern, handler);
  }

  delete(pattern: string, handler: Handler<C>): this {
    return this.add('DELETE', pattern, handler);
  }

  add(method: string, pattern: string, handler: Handler<C>): this {
    this.routes.push({ method: method.toUpperCase(), segments: splitPath(this.prefix + pattern), handler });
    return this;
  }

  /** Routes under a prefix, e.g. the same API under `/v1` and `/v2`; the prefix may hold parameters too. */
  group(prefix: string, define: (router: Router<C>) => void): this {
    define(new Router(this.routes, this.prefix + prefix));
    return this;
  }

  match(method: string, path: string): RouteMatch<C> | undefined {
    const segments = splitPath(path);
    for (const route of this.routes) {
      if (route.method !== method || route.segments.length !== segments.length) continue;
      const params = matchSegments(route.segments, segments);
      if (params) return { handler: route.handler, params };
    }
    return undefined;
  }
}

function splitPath(path: string): string[] {
  return path.split('/').filter((segment) => segment.length > 0);
}

function matchSegments(pattern: string[], actual: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const expected = pattern[i];
    if (expected.startsWith(':')) {
      const value = safeDecode(actual[i]);
      if (value === undefined) return undefined;
      params[expected.slice(1)] = value;
    } else if (expected !== actual[i]) {
      return undefined;
    }
  }
  return params;
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
