import { CommandBatches, WorkQueue, type ExecuteGroup } from './command-batches';

/** Records each executed group and answers every item with its own outcome: `fail-…` items are refused. */
function recordingExecutor() {
  const groups: string[][] = [];
  const execute: ExecuteGroup<string, string> = async (items) => {
    groups.push(items);
    return items.map((item) => (item.startsWith('fail') ? { status: 'rejected', reason: new Error(`${item} refused`) } : { status: 'fulfilled', value: `done ${item}` }));
  };
  return { groups, execute };
}

describe('WorkQueue', () => {
  it('runs at most `limit` units at once, in the order they were queued', async () => {
    const queue = new WorkQueue(1);
    const events: string[] = [];
    const unit = (name: string) => async () => {
      events.push(`start ${name}`);
      await new Promise((resolve) => setImmediate(resolve));
      events.push(`end ${name}`);
    };

    await Promise.all([queue.run(unit('a')), queue.run(unit('b')), queue.run(unit('c'))]);

    expect(events).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });
});

describe('CommandBatches', () => {
  it('runs a full group at once and gives each item its own outcome', async () => {
    const { groups, execute } = recordingExecutor();
    const batches = new CommandBatches(new WorkQueue(1), 60_000, execute);

    const outcomes = await Promise.allSettled(['a', 'fail-b', 'c'].map((item) => batches.submit('order.upsert conn-1', 3, item, item)));

    expect(groups).toEqual([['a', 'fail-b', 'c']]);
    expect(outcomes).toEqual([
      { status: 'fulfilled', value: 'done a' },
      { status: 'rejected', reason: new Error('fail-b refused') },
      { status: 'fulfilled', value: 'done c' },
    ]);
  });

  it('runs a group nothing else joins after the linger, apart from the groups of other connections', async () => {
    const { groups, execute } = recordingExecutor();
    const batches = new CommandBatches(new WorkQueue(1), 10, execute);

    await Promise.all([batches.submit('order.upsert conn-1', 50, 'a', 'a'), batches.submit('order.upsert conn-2', 50, 'b', 'b'), batches.submit('order.upsert conn-1', 50, 'c', 'c')]);

    expect(groups.sort()).toEqual([['a', 'c'], ['b']]);
  });

  it('starts a new group for a second item of one record, so the record keeps its order', async () => {
    const { groups, execute } = recordingExecutor();
    const batches = new CommandBatches(new WorkQueue(1), 10, execute);

    await Promise.all([batches.submit('g', 50, 'order-1', 'created'), batches.submit('g', 50, 'order-2', 'other'), batches.submit('g', 50, 'order-1', 'updated')]);

    expect(groups).toEqual([['created', 'other'], ['updated']]);
  });

  it('queues the gathering groups before what is queued after flushAll', async () => {
    const { groups, execute } = recordingExecutor();
    const queue = new WorkQueue(1);
    const batches = new CommandBatches(queue, 60_000, execute);

    const batched = batches.submit('g', 50, 'order-1', 'a');
    batches.flushAll();
    const alone = queue.run(async () => groups.push(['alone']));
    await Promise.all([batched, alone]);

    expect(groups).toEqual([['a'], ['alone']]);
  });

  it('fails every item of a group whose execution throws', async () => {
    const batches = new CommandBatches<string, string>(new WorkQueue(1), 60_000, async () => Promise.reject(new Error('vendor down')));

    const outcomes = await Promise.allSettled([batches.submit('g', 2, 'a', 'a'), batches.submit('g', 2, 'b', 'b')]);

    expect(outcomes.map((outcome) => outcome.status === 'rejected' && (outcome.reason as Error).message)).toEqual(['vendor down', 'vendor down']);
  });
});
