import { startSandbox, type RunningSandbox } from '@junction/sandbox-kit';
import { createSandbox, SEEDED } from '../src';

export interface Call {
  method?: string;
  body?: unknown;
  /** `[SystemId, API key]`; the seeded system by default, null for no Authorization. */
  credentials?: [number | string, string] | null;
}

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

  /** Calls a path under the sandbox root (`/Api/R3/...`, `/Api/Order/...`) with Basic SystemId:APIKey. */
  async function call(path: string, { method = 'GET', body, credentials = [SEEDED.systemId, SEEDED.apiKey] }: Call = {}) {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (credentials) headers.authorization = `Basic ${Buffer.from(`${credentials[0]}:${credentials[1]}`).toString('base64')}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${running.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    return { status: response.status, headers: response.headers, text, body: type.includes('json') && text ? JSON.parse(text) : undefined };
  }

  /** Ids of the seeded system's categories and their statuses by name. */
  async function categories() {
    const detailed = (await call('/Api/R3/Category?Detailed=1')).body.Results as Array<{ Id: number; Type: string }>;
    const idOf = (type: string) => detailed.find((category) => category.Type === type)?.Id;
    return { sales: idOf('Sales'), order: idOf('Order'), webshop: idOf('Webshop') };
  }

  return {
    call,
    categories,
    get sandbox() {
      return running;
    },
  };
}
