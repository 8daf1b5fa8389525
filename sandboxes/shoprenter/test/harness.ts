import { startSandbox, type RunningSandbox } from '@junction/sandbox-kit';
import { baseUrlFor, createSandbox, SEEDED, tokenUrlFor, type AuthMode } from '../src';

export interface Call {
  method?: string;
  body?: unknown;
  shop?: string;
  /** `basic` (the default, with `acme`'s API user), `oauth` (Bearer), or any Authorization header; null sends none. */
  mode?: AuthMode;
  authorization?: string | null;
}

export const basicAuth = (username: string, password: string) => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

/** One sandbox per test file, reset before every test with the rate limit off (tests that need it turn it on). */
export function useSandbox() {
  let running: RunningSandbox;
  beforeAll(async () => {
    running = await startSandbox(createSandbox());
  });
  afterAll(() => running.close());
  beforeEach(async () => {
    await running.control.reset();
    await running.control.setRateLimit({ kind: 'off' });
  });

  async function send(url: string, method: string, headers: Record<string, string>, body: unknown) {
    const response = await fetch(url, {
      method,
      headers: { accept: 'application/json', ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    return { status: response.status, headers: response.headers, text, body: type.includes('json') && text ? JSON.parse(text) : undefined };
  }

  async function token(clientId = SEEDED.clientId, clientSecret = SEEDED.clientSecret, shop = SEEDED.shop) {
    return send(tokenUrlFor(running.url, shop), 'POST', {}, { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret });
  }

  /** Calls the API as a connector does: the shop's base URL of the mode, with that mode's credential. */
  async function call(path: string, { method = 'GET', body, shop = SEEDED.shop, mode = 'basic', authorization }: Call = {}) {
    let header = authorization;
    if (header === undefined) {
      header = mode === 'basic' ? basicAuth(SEEDED.apiUsername, SEEDED.apiPassword) : `Bearer ${(await token()).body.access_token}`;
    }
    return send(`${baseUrlFor(running.url, shop, mode)}${path}`, method, header === null ? {} : { authorization: header }, body);
  }

  return {
    call,
    token,
    get sandbox() {
      return running;
    },
  };
}
