import { startSandbox, type RunningSandbox } from '@junction/sandbox-kit';
import { baseUrlFor, createSandbox, SEEDED } from '../src';

export interface Call {
  /** X-API-KEY; Junction's key by default, null for none. */
  key?: string | null;
  /** Form fields of a POST; objects and arrays are sent as JSON strings, as RetailCRM expects. */
  form?: Record<string, unknown>;
}

/** One sandbox per test file, reset before every test. */
export function useSandbox() {
  let running: RunningSandbox;
  beforeAll(async () => {
    running = await startSandbox(createSandbox());
  });
  afterAll(() => running.close());
  beforeEach(() => running.control.reset());

  async function call(path: string, { key = SEEDED.apiKeys.junction, form }: Call = {}) {
    const body =
      form &&
      new URLSearchParams(Object.entries(form).map(([name, value]): [string, string] => [name, typeof value === 'string' ? value : JSON.stringify(value)]));
    const response = await fetch(`${baseUrlFor(running.url)}${path}`, {
      method: form ? 'POST' : 'GET',
      headers: { ...(key ? { 'x-api-key': key } : {}), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      body,
    });
    // JSON.parse's `any` keeps the assertions on vendor bodies short.
    return { status: response.status, headers: response.headers, body: JSON.parse(await response.text()) };
  }

  /** Changes an order's status as someone else: a CRM user or another API client. */
  async function changeStatusAs(orderId: number, change: { status: string; user: number } | { status: string; apiKey: string }) {
    const response = await fetch(`${running.url}/__sandbox/orders/${orderId}/status`, {
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
