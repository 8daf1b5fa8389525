import { WritesInProgress } from './writes-in-progress';

const customer = { connectionId: 'conn-1', entityType: 'customer', sourceKey: 'zomentum:z1:client:1' };

function held() {
  let finish!: () => void;
  let fail!: (error: Error) => void;
  const work = new Promise<string>((resolve, reject) => {
    finish = () => resolve('written');
    fail = reject;
  });
  return { work: () => work, finish, fail };
}

describe('WritesInProgress', () => {
  it('knows a record as being written while its command runs, and waits for the command to end', async () => {
    const writes = new WritesInProgress();
    const command = held();
    const running = writes.track(customer, command.work);

    expect(writes.isWriting(customer)).toBe(true);
    expect(writes.isWriting({ ...customer, connectionId: 'conn-2' })).toBe(false);
    let settled = false;
    const waiting = writes.settled(customer, 60_000).then(() => (settled = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);

    command.finish();
    await waiting;
    expect(await running).toBe('written');
    expect(writes.isWriting(customer)).toBe(false);
  });

  it('stops waiting after maxWaitMs, and forgets a command that failed', async () => {
    const writes = new WritesInProgress();
    const command = held();
    const running = writes.track(customer, command.work);

    const started = Date.now();
    await writes.settled(customer, 50);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(writes.isWriting(customer)).toBe(true);

    const waiting = writes.settled(customer, 60_000);
    command.fail(new Error('vendor refused'));
    await expect(waiting).resolves.toBeUndefined();
    await expect(running).rejects.toThrow('vendor refused');
    expect(writes.isWriting(customer)).toBe(false);
  });

  it('keeps the entry of a later command for the same record when an earlier one ends', async () => {
    const writes = new WritesInProgress();
    const first = held();
    const second = held();
    const firstRunning = writes.track(customer, first.work);
    const secondRunning = writes.track(customer, second.work);

    first.finish();
    await firstRunning;
    expect(writes.isWriting(customer)).toBe(true);
    second.finish();
    await secondRunning;
    expect(writes.isWriting(customer)).toBe(false);
  });
});
