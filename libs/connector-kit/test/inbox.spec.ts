import { Cursors, Inbox } from '../src';
import { sleep, useServiceSchema } from './support/postgres';

describe('Inbox', () => {
  const service = useServiceSchema();
  let inbox: Inbox;
  let cursors: Cursors;

  beforeAll(() => {
    inbox = new Inbox(service.dataSource);
    cursors = new Cursors(service.dataSource);
  });

  it('processes a message once and reports its redelivery as a duplicate', async () => {
    const work = jest.fn(async () => 'estimate-1');

    const first = await inbox.runOnce('repairshopr.commands', 'deal-1:won', work);
    const redelivered = await inbox.runOnce('repairshopr.commands', 'deal-1:won', work);

    expect(first).toEqual({ status: 'processed', result: 'estimate-1' });
    expect(redelivered).toEqual({ status: 'duplicate' });
    expect(work).toHaveBeenCalledTimes(1);
  });

  it('records a message processed outside a transaction once', async () => {
    expect(await inbox.record('minicrm-commands', 'order-9:create')).toBe(true);
    expect(await inbox.record('minicrm-commands', 'order-9:create')).toBe(false);
    expect(await inbox.has('minicrm-commands', 'order-9:create')).toBe(true);
    expect(await inbox.runOnce('minicrm-commands', 'order-9:create', async () => 'again')).toEqual({ status: 'duplicate' });
  });

  it('tells whether a consumer has processed a message', async () => {
    await inbox.runOnce('retailcrm-commands', 'order-1:upsert', async () => undefined);

    expect(await inbox.has('retailcrm-commands', 'order-1:upsert')).toBe(true);
    expect(await inbox.has('retailcrm-commands', 'order-2:upsert')).toBe(false);
    expect(await inbox.has('mapping', 'order-1:upsert')).toBe(false);
  });

  it('keeps a separate record per consumer', async () => {
    await inbox.runOnce('mapping', 'deal-2:won', async () => undefined);

    expect(await inbox.runOnce('scheduler', 'deal-2:won', async () => 'seen')).toEqual({
      status: 'processed',
      result: 'seen',
    });
  });

  it("rolls back the claim and the work's writes when the work throws, so a retry processes it", async () => {
    await expect(
      inbox.runOnce('mapping', 'deal-3:won', async (manager) => {
        await cursors.set('conn-inbox', 'deals', { last: 'deal-3' }, manager);
        throw new Error('vendor unavailable');
      }),
    ).rejects.toThrow('vendor unavailable');
    expect(await cursors.get('conn-inbox', 'deals')).toBeUndefined();

    const retried = await inbox.runOnce('mapping', 'deal-3:won', async (manager) => {
      await cursors.set('conn-inbox', 'deals', { last: 'deal-3' }, manager);
      return 'done';
    });

    expect(retried).toEqual({ status: 'processed', result: 'done' });
    expect(await cursors.get('conn-inbox', 'deals')).toEqual({ last: 'deal-3' });
  });

  it('lets only one of two concurrent deliveries do the work', async () => {
    const work = jest.fn(async () => {
      await sleep(100);
      return 'once';
    });

    const results = await Promise.all([
      inbox.runOnce('mapping', 'deal-4:won', work),
      inbox.runOnce('mapping', 'deal-4:won', work),
    ]);

    expect(work).toHaveBeenCalledTimes(1);
    expect(results.map((result) => result.status).sort()).toEqual(['duplicate', 'processed']);
  });

  it('prunes messages processed before a given time', async () => {
    await inbox.runOnce('pruning', 'old', async () => undefined);
    await inbox.runOnce('pruning', 'recent', async () => undefined);
    await service.dataSource.query(
      `UPDATE "${service.schema}".inbox SET processed_at = now() - interval '8 days'
       WHERE consumer = 'pruning' AND message_id = 'old'`,
    );

    const pruned = await inbox.prune(new Date(Date.now() - 7 * 24 * 3600 * 1000));

    expect(pruned).toBe(1);
    const again = async () => 'again';
    expect(await inbox.runOnce('pruning', 'old', again)).toEqual({ status: 'processed', result: 'again' });
    expect(await inbox.runOnce('pruning', 'recent', again)).toEqual({ status: 'duplicate' });
  });
});
