import { startSandbox, type RunningSandbox } from '@junction/sandbox-kit';
import { baseUrlFor, createSandbox, SEEDED } from '../src';

export interface CallOptions {
  /** HTTP method; ASMX takes the parameters as a form body (POST) or a query string (GET). */
  via?: 'POST' | 'GET';
  /** Leave out the seeded seller's login, password and api_key. */
  anonymous?: boolean;
}

/**
 * One sandbox per test file, reset before every test. ZZap allows one call per 3 seconds, so tests run with the limit
 * off unless `rateLimited` is set (the limit test).
 */
export function useSandbox({ rateLimited = false } = {}) {
  let running: RunningSandbox;
  beforeAll(async () => {
    running = await startSandbox(createSandbox());
  });
  afterAll(() => running.close());
  beforeEach(async () => {
    await running.control.reset();
    if (!rateLimited) await running.control.setRateLimit({ kind: 'off' });
  });

  /** Calls a web method like a client: form parameters, then the JSON out of the XML `<string>` wrapper. */
  async function call(method: string, parameters: Record<string, string> = {}, { via = 'POST', anonymous = false }: CallOptions = {}) {
    const values = new URLSearchParams({ ...(anonymous ? {} : SEEDED.seller), ...parameters });
    const url = `${baseUrlFor(running.url)}/${method}`;
    const response =
      via === 'POST'
        ? await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: values })
        : await fetch(`${url}?${values.toString()}`);
    const text = await response.text();
    const wrapped = /^<\?xml[^>]*>\s*<string xmlns="http:\/\/tempuri\.org\/">([\s\S]*)<\/string>$/.exec(text);
    const json = wrapped?.[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    // JSON.parse's `any` keeps the assertions on vendor bodies short.
    return { status: response.status, contentType: response.headers.get('content-type'), text, result: json === undefined ? undefined : JSON.parse(json) };
  }

  /** Changes an order's status as the buyer or the seller would in ZZap's own cabinet. */
  async function changeStatusAs(codeOrder: number, change: { code_track: number; by: 'buyer' | 'seller' }) {
    const response = await fetch(`${running.url}/__sandbox/orders/${codeOrder}/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(change),
    });
    return { status: response.status, body: JSON.parse(await response.text()) };
  }

  return {
    call,
    changeStatusAs,
    get sandbox() {
      return running;
    },
  };
}
