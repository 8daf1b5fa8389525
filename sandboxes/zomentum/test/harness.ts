import { startSandbox, type RunningSandbox } from '@junction/sandbox-kit';
import { baseUrlFor, createSandbox, SEEDED } from '../src';

export interface Call {
  token?: string | null;
  method?: string;
  body?: unknown;
  version?: 'v1' | 'v2';
}

/** One sandbox per test file, reset before every test. */
export function useSandbox() {
  let running: RunningSandbox;
  beforeAll(async () => {
    running = await startSandbox(createSandbox());
  });
  afterAll(() => running.close());
  beforeEach(() => running.control.reset());

  /** Calls the API as a connector does: Bearer access token (the seeded one by default), JSON bodies. */
  async function call(path: string, { token = SEEDED.accessToken, method = 'GET', body, version = 'v2' }: Call = {}) {
    const response = await fetch(`${baseUrlFor(running.url, version)}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  }

  return {
    call,
    get sandbox() {
      return running;
    },
  };
}
