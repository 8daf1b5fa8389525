import { startSandbox, type RunningSandbox } from '@junction/sandbox-kit';
import { baseUrlFor, createSandbox, SEEDED } from '../src';

export interface Call {
  token?: string | null;
  method?: string;
  body?: unknown;
  subdomain?: string;
}

/** One sandbox per test file, reset before every test. */
export function useSandbox() {
  let running: RunningSandbox;
  beforeAll(async () => {
    running = await startSandbox(createSandbox());
  });
  afterAll(() => running.close());
  beforeEach(() => running.control.reset());

  /** Calls the API the way a connector does: base URL template, Bearer token (the full one by default). */
  async function call(path: string, { token = SEEDED.tokens.full, method = 'GET', body, subdomain = SEEDED.subdomain }: Call = {}) {
    const response = await fetch(`${baseUrlFor(running.url, subdomain)}${path}`, {
      method,
      headers: {
        accept: 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    return { status: response.status, headers: response.headers, text, body: type.includes('json') && text ? JSON.parse(text) : undefined };
  }

  return {
    call,
    get sandbox() {
      return running;
    },
  };
}
