/** The control API's error body: { error, message?, issues? }. */
export interface ApiErrorBody {
  error: string;
  message?: string;
  issues?: Array<{ path: string; message: string }>;
}

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(body.message ?? body.error);
  }
}

export interface ControlApi {
  get<T>(path: string): Promise<T>;
  send<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T>;
}

/**
 * Calls the control API of the server that serves the console, with the token the operator typed. The token stays
 * in this tab (sessionStorage); the server never hands it to the page.
 */
export function controlApi(token: string, onUnauthorized: () => void): ControlApi {
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(path, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const answer = text ? JSON.parse(text) : undefined;
    if (response.status === 401) onUnauthorized();
    if (!response.ok) throw new ApiFailure(response.status, answer ?? { error: `http_${response.status}` });
    return answer as T;
  }
  return { get: (path) => call('GET', path), send: (method, path, body) => call(method, path, body) };
}

/** Fetches a public JSON document of the server (the OpenAPI document, the console's config). */
export async function publicJson<T>(path: string): Promise<T> {
  const response = await fetch(path);
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return (await response.json()) as T;
}
