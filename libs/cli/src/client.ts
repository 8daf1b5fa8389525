/** The control API's error body: { error, message?, issues? }. */
export interface ApiErrorBody {
  error: string;
  message?: string;
  issues?: Array<{ path: string; message: string }>;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
    what: string,
  ) {
    super(`${what}: ${body.message ?? body.error} (${status})`);
  }
}

export class ConnectionError extends Error {}

/** Calls the control API with the bearer token; a non-2xx answer throws an ApiError with the API's body. */
export class ControlApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  get<T>(path: string): Promise<T> {
    return this.call<T>('GET', path);
  }

  send<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
    return this.call<T>(method, path, body);
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(new URL(path, this.baseUrl), {
        method,
        headers: {
          authorization: `Bearer ${this.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new ConnectionError(`cannot reach the control API at ${this.baseUrl}: ${(error as Error).cause ?? (error as Error).message}`);
    }
    const text = await response.text();
    const answer = text ? (JSON.parse(text) as unknown) : undefined;
    if (!response.ok) throw new ApiError(response.status, (answer as ApiErrorBody) ?? { error: `http_${response.status}` }, `${method} ${path}`);
    return answer as T;
  }
}
