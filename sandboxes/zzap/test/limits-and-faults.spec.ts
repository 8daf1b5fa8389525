import { useSandbox } from './harness';

const harness = useSandbox({ rateLimited: true });

describe('ZZap rate limit', () => {
  it('allows one call per 3 seconds per key, answering 429 in between', async () => {
    expect((await harness.call('GetCodesTrack')).status).toBe(200);
    const refused = await harness.call('GetCodesTrack');
    expect([refused.status, refused.text]).toEqual([429, 'Too Many Requests']);
    await harness.sandbox.control.advanceClock(3000);
    expect((await harness.call('GetCodesTrack')).status).toBe(200);
  });
});

describe('ZZap faults', () => {
  it('answers injected Cloudflare-style 5xx pages and 429 bursts, then serves again', async () => {
    await harness.sandbox.control.setRateLimit({ kind: 'off' });
    await harness.sandbox.control.setFaults({
      rules: [
        { kind: 'error', status: 522, pathPrefix: '/webservice/datasharing.asmx/GetSellerOrdersV3', count: 1 },
        { kind: 'rate-limit', count: 1, retryAfterSeconds: null },
      ],
    });
    const orders = { row_count: '10', call_data: '' };
    const outage = await harness.call('GetSellerOrdersV3', orders);
    expect([outage.status, outage.contentType]).toEqual([522, 'text/html; charset=utf-8']);
    expect((await harness.call('GetSellerOrdersV3', orders)).status).toBe(429);
    expect((await harness.call('GetSellerOrdersV3', orders)).result.row_count).toBe(5);
  });

  it('loses the answer to a committed status change', async () => {
    await harness.sandbox.control.setRateLimit({ kind: 'off' });
    const [order] = await harness.sandbox.control.records<{ code_order: number }>('orders');
    await harness.sandbox.control.setFaults({ rules: [{ kind: 'lose-response', pathPrefix: '/webservice/datasharing.asmx/SetOrderStatusV3', count: 1 }] });
    await expect(harness.call('SetOrderStatusV3', { code_order: String(order.code_order), code_track: '2', call_data: '' })).rejects.toThrow();
    expect((await harness.sandbox.control.records<{ code_track: number }>('orders'))[0].code_track).toBe(2);
  });
});
