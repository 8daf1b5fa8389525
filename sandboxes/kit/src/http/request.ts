import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { parseParams, type ParamObject } from './params';

export interface SandboxRequest {
  method: string;
  /** The URL path without the query string, as sent (not decoded; route params are decoded). */
  path: string;
  query: ParamObject;
  /** The raw query string without `?`, for the request log. */
  search: string;
  headers: IncomingHttpHeaders;
  /**
   * JSON bodies parsed, `application/x-www-form-urlencoded` bodies parsed like the query, any other content
   * type as text; undefined when there is no body.
   */
  body: unknown;
  rawBody: string;
  /** Why a JSON or form body could not be parsed; the runtime answers with the vendor's malformed-body reply. */
  bodyError?: string;
  /** Path parameters of the matched route. */
  params: Record<string, string>;
  remoteAddress: string;
}

/** Larger bodies are refused with 413: no vendor call Junction makes comes near it. */
export const MAX_BODY_BYTES = 5 * 1024 * 1024;

export class BodyTooLargeError extends Error {}

/** A request as it came off the socket, before any parsing: what a front door thread hands the sandbox. */
export interface RawRequest {
  method?: string;
  url?: string;
  headers: IncomingHttpHeaders;
  remoteAddress?: string;
  body: Uint8Array;
  /** The body was over MAX_BODY_BYTES: read and dropped, so the client is still there to receive the 413. */
  tooLarge: boolean;
}

export async function readRawRequest(incoming: IncomingMessage): Promise<RawRequest> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of incoming) {
    size += (chunk as Buffer).length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
  }
  const { method, url, headers } = incoming;
  return { method, url, headers, remoteAddress: incoming.socket.remoteAddress, body: Buffer.concat(chunks), tooLarge: size > MAX_BODY_BYTES };
}

/** Throws BodyTooLargeError for a body over MAX_BODY_BYTES. */
export function parseRequest(raw: RawRequest): SandboxRequest {
  if (raw.tooLarge) throw new BodyTooLargeError(`Request body over ${MAX_BODY_BYTES} bytes`);
  const rawBody = Buffer.from(raw.body.buffer, raw.body.byteOffset, raw.body.byteLength).toString('utf8');
  const url = new URL(raw.url ?? '/', 'http://sandbox.invalid');
  const request: SandboxRequest = {
    method: (raw.method ?? 'GET').toUpperCase(),
    path: url.pathname,
    query: parseParams(url.search),
    search: url.search.replace(/^\?/, ''),
    headers: raw.headers,
    body: undefined,
    rawBody,
    params: {},
    remoteAddress: raw.remoteAddress ?? 'unknown',
  };
  if (rawBody.length > 0) parseBody(request, contentType(raw.headers));
  return request;
}

function contentType(headers: IncomingHttpHeaders): string {
  return (headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

function parseBody(request: SandboxRequest, type: string): void {
  if (type === 'application/json' || type.endsWith('+json')) {
    try {
      request.body = JSON.parse(request.rawBody);
    } catch (error) {
      request.bodyError = `Malformed JSON: ${(error as Error).message}`;
    }
    return;
  }
  if (type === 'application/x-www-form-urlencoded') {
    request.body = parseParams(request.rawBody);
    return;
  }
  request.body = request.rawBody;
}

/** The first value of a request header. */
export function header(request: SandboxRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
