import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { startSandbox, type RunningSandbox } from '../src';
import { createTicketsSandbox, TICKETS_TOKEN } from './tickets-sandbox';

let sandbox: RunningSandbox;
const auth = { authorization: `Bearer ${TICKETS_TOKEN}` };

function api(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${sandbox.url}/api${path}`, init);
}

function createTicket(body: unknown, headers: Record<string, string> = auth): Promise<Response> {
  return api('/tickets', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

// Every behaviour, served from the test's own event loop and through a front door thread (tools/sandbox.mjs).
describe.each([
  ['in this thread', false],
  ['behind a front door thread', true],
])('a sandbox served %s', (_served, frontDoor) => {
  beforeAll(async () => {
    sandbox = await startSandbox(createTicketsSandbox(), { frontDoor });
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.control.reset());

  describe('sandbox runtime', () => {
    it('listens on 127.0.0.1 and reports health', async () => {
      expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(await sandbox.control.health()).toMatchObject({ status: 'ok', sandbox: 'tickets' });
    });

    it('reports how late its event loop ran since the last reset', async () => {
      await sandbox.control.reset();
      await new Promise((resolve) => setTimeout(resolve, 50));
      const blockedUntil = Date.now() + 120;
      while (Date.now() < blockedUntil); // this process's loop, the sandbox's too, held for 120 ms
      await new Promise((resolve) => setTimeout(resolve, 50));
      const late = (await sandbox.control.health()).eventLoopDelayMs;
      expect(late.max).toBeGreaterThanOrEqual(100);
      expect(late.p99).toBeGreaterThanOrEqual(100);
      await sandbox.control.reset();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect((await sandbox.control.health()).eventLoopDelayMs.max).toBeLessThan(50);
    });

    it('routes with PHP-style query arrays, paginates and answers unknown paths with the vendor 404', async () => {
      const response = await api('/tickets?id[]=1&id[]=3&page=1');
      expect(await response.json()).toMatchObject({ tickets: [{ id: 1 }, { id: 3 }], meta: { page: 1, total_pages: 1 } });
      const missing = await api('/nothing');
      expect(missing.status).toBe(404);
      expect(await missing.json()).toEqual({ error: 'nothing at /api/nothing' });
    });

    it('parses JSON and form bodies, and answers a malformed JSON body with the vendor reply', async () => {
      expect((await createTicket({ subject: 'JSON', tags: ['a'] })).status).toBe(200);
      const form = await api('/tickets', {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'subject=Form+ticket&tags[]=x&tags[]=y',
      });
      expect(await form.json()).toMatchObject({ ticket: { id: 5, subject: 'Form ticket', tags: ['x', 'y'] } });
      const headers = { ...auth, 'content-type': 'application/json' };
      const malformed = await api('/tickets', { method: 'POST', headers, body: '{"subject":' });
      expect(malformed.status).toBe(400);
      expect(await malformed.json()).toEqual({ error: 'body is not JSON' });
    });

    it('refuses a body over 5 MB with 413', async () => {
      const response = await createTicket({ subject: 'x'.repeat(5 * 1024 * 1024) });
      expect(response.status).toBe(413);
      expect(await sandbox.control.records('tickets')).toHaveLength(3);
    });
  });

  describe('control API', () => {
    it('resets to the seed, with vendor seed options', async () => {
      await createTicket({ subject: 'extra' });
      expect(await sandbox.control.records('tickets')).toHaveLength(4);
      await sandbox.control.reset({ tickets: 1 });
      expect((await sandbox.control.records('tickets')).map((ticket) => ticket.subject)).toEqual(['Seeded 1']);
      await expect(sandbox.control.reset({ tickets: -1 })).rejects.toThrow(/answered 400/);
    });

    it('seeds records (ids kept, defaults filled) and refuses unknown collections and duplicate ids', async () => {
      const seeded = await sandbox.control.seed({ tickets: [{ id: 10, subject: 'Seeded by test', tags: [] }, { subject: 'next' }] });
      expect(seeded.tickets).toMatchObject([{ id: 10 }, { id: 11, subject: 'next' }]);
      expect(seeded.tickets[0].created_at).toEqual(expect.any(String));
      await expect(sandbox.control.seed({ nope: [{}] })).rejects.toThrow(/400.*Unknown collections: nope/);
      await expect(sandbox.control.seed({ tickets: [{ id: 10 }] })).rejects.toThrow(/409/);
    });

    it('shows every collection in state and edits a record as the vendor UI would', async () => {
      const state = await sandbox.control.state();
      expect(Object.keys(state)).toEqual(['tickets']);
      await sandbox.control.advanceClock(5_000);
      const edited = await sandbox.control.update('tickets', 2, { subject: 'Edited' });
      expect(edited).toMatchObject({ id: 2, subject: 'Edited' });
      expect(Date.parse(String(edited.updated_at)) - Date.parse(String(edited.created_at))).toBeGreaterThanOrEqual(5_000);
      await expect(sandbox.control.update('tickets', 99, {})).rejects.toThrow(/404/);
    });

    it('serves vendor control routes with zod validation, unlogged, beside the kit routes', async () => {
      const tag = (id: number, body: unknown) =>
        fetch(`${sandbox.url}/__sandbox/tickets/${id}/tag`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const tagged = await tag(1, { tag: 'urgent' });
      expect(tagged.status).toBe(200);
      expect(await tagged.json()).toMatchObject({ ticket: { id: 1, tags: ['urgent'] } });
      expect((await tag(99, { tag: 'urgent' })).status).toBe(404);
      expect((await tag(1, { tag: '' })).status).toBe(400);
      expect((await fetch(`${sandbox.url}/__sandbox/tickets/1/untag`, { method: 'POST' })).status).toBe(404);
      expect(await sandbox.control.health()).toMatchObject({ status: 'ok' });
      expect(await sandbox.control.requests()).toEqual([]);
    });

    it('logs API calls with status and credential id, never the secret, and skips control calls', async () => {
      await createTicket({ subject: 'logged' });
      await api('/tickets?page=2&api_key=very-secret');
      const log = await sandbox.control.requests();
      expect(log).toMatchObject([
        { seq: 1, method: 'POST', path: '/api/tickets', status: 200, credential: 'agent:1' },
        {
          seq: 2,
          method: 'GET',
          path: '/api/tickets',
          query: 'page=2&api_key=[redacted]',
          status: 200,
          credential: expect.stringMatching(/^ip:/),
        },
      ]);
      expect(JSON.stringify(log)).not.toContain(TICKETS_TOKEN);
      expect(JSON.stringify(log)).not.toContain('very-secret');
      expect(await sandbox.control.requests(1)).toHaveLength(1);
    });
  });

  describe('rate limits', () => {
    it('answers the vendor 429 with Retry-After past the limit, per credential, until the window passes', async () => {
      for (let i = 0; i < 5; i++) expect((await api('/tickets', { headers: auth })).status).toBe(200);
      const refused = await api('/tickets', { headers: auth });
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('60');
      expect(await refused.text()).toBe('Slow down\n');
      expect((await api('/tickets')).status).toBe(200);
      await sandbox.control.advanceClock(60_000);
      expect((await api('/tickets', { headers: auth })).status).toBe(200);
      expect((await sandbox.control.requests()).filter((entry) => entry.rateLimited)).toHaveLength(1);
    });

    it('can be tightened, switched to a token bucket without Retry-After, or turned off', async () => {
      await sandbox.control.setRateLimit({ kind: 'fixed-window', limit: 1, windowMs: 1_000 }, 'api');
      expect((await api('/tickets')).status).toBe(200);
      const tight = await api('/tickets');
      expect([tight.status, tight.headers.get('retry-after')]).toEqual([429, '1']);

      await sandbox.control.setRateLimit({ kind: 'token-bucket', capacity: 1, refillPerSecond: 1, retryAfter: false });
      expect((await api('/tickets')).status).toBe(200);
      const bucket = await api('/tickets');
      expect([bucket.status, bucket.headers.get('retry-after')]).toEqual([429, null]);

      await sandbox.control.setRateLimit({ kind: 'off' });
      const statuses = await Promise.all(Array.from({ length: 20 }, () => api('/tickets').then((r) => r.status)));
      expect(new Set(statuses)).toEqual(new Set([200]));
      await expect(sandbox.control.setRateLimit({ kind: 'off' }, 'nope')).rejects.toThrow(/404/);
    });
  });

  describe('faults', () => {
    it('delays matching paths only', async () => {
      await sandbox.control.setFaults({ rules: [{ kind: 'latency', ms: 300, pathPrefix: '/api/tickets' }] });
      const started = Date.now();
      await api('/tickets');
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
      const other = Date.now();
      await api('/other');
      expect(Date.now() - other).toBeLessThan(250);
    });

    it('answers 5xx with an HTML page or a JSON body without running the handler', async () => {
      await sandbox.control.setFaults({
        rules: [
          { kind: 'error', status: 502, body: 'html', count: 1 },
          { kind: 'error', status: 503, body: 'json', count: 1 },
        ],
      });
      const html = await createTicket({ subject: 'never stored' });
      expect(html.status).toBe(502);
      expect(html.headers.get('content-type')).toContain('text/html');
      expect(await html.text()).toContain('502 Bad Gateway');
      const jsonError = await createTicket({ subject: 'never stored' });
      expect([jsonError.status, await jsonError.json()]).toEqual([503, { error: 'Service Unavailable', status: 503 }]);
      expect((await sandbox.control.records('tickets')).some((ticket) => ticket.subject === 'never stored')).toBe(false);
      expect((await createTicket({ subject: 'stored' })).status).toBe(200);
    });

    it('sends a burst of vendor 429s with the given Retry-After (or none)', async () => {
      await sandbox.control.setFaults({
        rules: [
          { kind: 'rate-limit', count: 2, retryAfterSeconds: 7 },
          { kind: 'rate-limit', count: 1, retryAfterSeconds: null },
        ],
      });
      const answers = [];
      for (let i = 0; i < 4; i++) {
        const response = await api('/tickets');
        answers.push([response.status, response.headers.get('retry-after')]);
      }
      expect(answers).toEqual([[429, '7'], [429, '7'], [429, null], [200, null]]);
      expect((await sandbox.control.requests())[0]).toMatchObject({ status: 429, faults: ['rate-limit'] });
    });

    it('answers an HTML page instead of handling, with 200 unless told otherwise', async () => {
      await sandbox.control.setFaults({
        rules: [
          { kind: 'malformed', variant: 'html', methods: ['POST'], count: 1 },
          { kind: 'malformed', variant: 'html', status: 502, pathPrefix: '/api/tickets', methods: ['GET'], count: 1 },
        ],
      });
      const page = await createTicket({ subject: 'never stored' });
      expect([page.status, page.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
      expect(await page.text()).toContain('<title>200 OK</title>');
      expect((await api('/tickets')).status).toBe(502);
      expect((await sandbox.control.records('tickets')).some((ticket) => ticket.subject === 'never stored')).toBe(false);
      expect((await sandbox.control.requests())[0]).toMatchObject({ status: 200, faults: ['malformed'] });
    });

    it('cuts the answer of a committed write off halfway', async () => {
      await sandbox.control.setFaults({ rules: [{ kind: 'malformed', variant: 'truncated', methods: ['POST'], count: 1 }] });
      const cut = await createTicket({ subject: 'committed, answer cut' });
      const body = await cut.text();
      expect(cut.status).toBe(200);
      expect(() => JSON.parse(body)).toThrow();
      expect(body.startsWith('{"ticket":{')).toBe(true);
      expect((await sandbox.control.records('tickets')).map((ticket) => ticket.subject)).toContain('committed, answer cut');
      expect(await (await createTicket({ subject: 'whole' })).json()).toMatchObject({ ticket: { subject: 'whole' } });
    });

    it('removes a field from the answer, or gives it another type', async () => {
      await sandbox.control.setFaults({
        rules: [
          { kind: 'malformed', variant: 'missing-field', field: 'tickets.1.subject', count: 1 },
          { kind: 'malformed', variant: 'wrong-type', field: 'tickets.0.tags', count: 1 },
          { kind: 'malformed', variant: 'wrong-type', field: 'meta.page', count: 1 },
        ],
      });
      const [first, second, third] = [await api('/tickets'), await api('/tickets'), await api('/tickets')];
      const missing = (await first.json()) as { tickets: Array<Record<string, unknown>> };
      expect(missing.tickets.map((ticket) => 'subject' in ticket)).toEqual([true, false]);
      const retyped = (await second.json()) as { tickets: Array<{ tags: unknown }> };
      expect(retyped.tickets.map((ticket) => ticket.tags)).toEqual(['unexpected text', []]);
      expect(await third.json()).toMatchObject({ meta: { page: { unexpected: 'object' } } });
      expect((await sandbox.control.faults()).rules.map((rule) => rule.remaining)).toEqual([0, 0, 0]);
    });

    it('answers 500 loudly when the field to break is not in the answer, and refuses such a rule without a field', async () => {
      await sandbox.control.setFaults({ rules: [{ kind: 'malformed', variant: 'missing-field', field: 'tickets.9.subject', count: 1 }] });
      const failed = await api('/tickets');
      expect([failed.status, await failed.json()]).toEqual([
        500,
        { error: 'Sandbox fault failed', message: 'the answer has no field tickets.9.subject' },
      ]);
      await expect(sandbox.control.setFaults({ rules: [{ kind: 'malformed', variant: 'wrong-type' }] })).rejects.toThrow(
        /missing-field and wrong-type need the field to break/,
      );
    });

    it('loses the response after the write is committed', async () => {
      await sandbox.control.setFaults({ rules: [{ kind: 'lose-response', methods: ['POST'], count: 1 }] });
      await expect(createTicket({ subject: 'committed but unanswered' })).rejects.toThrow('fetch failed');
      expect((await sandbox.control.records('tickets')).map((ticket) => ticket.subject)).toContain('committed but unanswered');
      expect((await sandbox.control.requests())[0]).toMatchObject({ status: 200, faults: ['lose-response'] });
      expect((await createTicket({ subject: 'answered' })).status).toBe(200);
    });

    it('answers too late for a caller with a shorter timeout, after the write is committed', async () => {
      await sandbox.control.setFaults({ rules: [{ kind: 'latency', ms: 1_000, afterHandling: true, methods: ['POST'], count: 1 }] });
      const timedOut = api('/tickets', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth },
        body: JSON.stringify({ subject: 'committed, answered late' }),
        signal: AbortSignal.timeout(200),
      });
      await expect(timedOut).rejects.toThrow(/timeout|aborted/i);
      expect((await sandbox.control.records('tickets')).map((ticket) => ticket.subject)).toContain('committed, answered late');
      expect((await sandbox.control.faults()).rules[0]).toMatchObject({ remaining: 0, fired: 1 });
      expect((await createTicket({ subject: 'answered' })).status).toBe(200);
    });

    it('gives the same fault sequence for the same seed, and reset clears faults', async () => {
      const run = async () => {
        await sandbox.control.reset();
        await sandbox.control.setRateLimit({ kind: 'off' });
        await sandbox.control.setFaults({ seed: 7, rules: [{ kind: 'error', rate: 0.5, body: 'json' }] });
        const statuses = [];
        for (let i = 0; i < 12; i++) statuses.push((await api('/tickets')).status);
        return statuses;
      };
      const first = await run();
      expect(first).toEqual(await run());
      expect(first).toContain(500);
      expect(first).toContain(200);
      await sandbox.control.reset();
      expect((await sandbox.control.faults()).rules).toEqual([]);
    });

    it('rejects an invalid fault rule with the validation issues', async () => {
      await expect(sandbox.control.setFaults({ rules: [{ kind: 'error', status: 404 }] })).rejects.toThrow(/400.*too_small/s);
    });
  });
});

describe('front door', () => {
  // Sends one call once told to, from a thread of its own: the test's thread is held meanwhile.
  const CLIENT = `
    const { parentPort, workerData } = require('node:worker_threads');
    parentPort.once('message', async () => {
      await new Promise((resolve) => setTimeout(resolve, workerData.afterMs));
      const response = await fetch(workerData.url, { headers: workerData.headers });
      parentPort.postMessage(response.status);
    });`;

  it("stamps each call at its arrival while the sandbox's event loop is held", async () => {
    const door = await startSandbox(createTicketsSandbox(), { frontDoor: true });
    const client = new Worker(CLIENT, { eval: true, workerData: { url: `${door.url}/api/tickets`, headers: auth, afterMs: 100 } });
    try {
      await once(client, 'online');
      client.postMessage('send');
      const sentAfter = Date.now() + 100;
      // The sandbox's loop (this thread's) held; the call arrives meanwhile. Long enough for a slow machine's worker to
      // load fetch and send: held loop or not, a call the front door did not stamp would show the hold's end.
      const heldUntil = Date.now() + 1_500;
      while (Date.now() < heldUntil);
      const [status] = await once(client, 'message');

      expect(status).toBe(200);
      const [call] = await door.control.requests();
      expect(Date.parse(call.at)).toBeGreaterThanOrEqual(sentAfter - 5);
      expect(Date.parse(call.at)).toBeLessThan(heldUntil - 200);
    } finally {
      await client.terminate();
      await door.close();
    }
  });

  it('refuses to start on a port in use', async () => {
    const door = await startSandbox(createTicketsSandbox(), { frontDoor: true });
    try {
      await expect(startSandbox(createTicketsSandbox(), { frontDoor: true, port: door.port })).rejects.toThrow(/could not listen: .*EADDRINUSE/);
    } finally {
      await door.close();
    }
  });
});
