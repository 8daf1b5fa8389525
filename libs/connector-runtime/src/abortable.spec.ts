import { AbortedError, pause, untilAborted } from './abortable';

describe('untilAborted', () => {
  it('yields every item of a source that ends', async () => {
    async function* source() {
      yield 1;
      yield 2;
    }
    const items: number[] = [];
    for await (const item of untilAborted(source(), new AbortController().signal)) items.push(item);
    expect(items).toEqual([1, 2]);
  });

  it('stops waiting for the next item as soon as the signal aborts', async () => {
    const controller = new AbortController();
    async function* source() {
      yield 1;
      await new Promise(() => undefined); // a vendor call that never answers
    }
    const items: number[] = [];
    const reading = (async () => {
      for await (const item of untilAborted(source(), controller.signal)) items.push(item);
    })();
    await new Promise((resolve) => setTimeout(resolve, 10));
    controller.abort();
    await expect(reading).rejects.toBeInstanceOf(AbortedError);
    expect(items).toEqual([1]);
  });
});

describe('pause', () => {
  it('waits, or ends early with AbortedError when aborted', async () => {
    await expect(pause(1, new AbortController().signal)).resolves.toBeUndefined();
    const controller = new AbortController();
    const waiting = pause(60_000, controller.signal);
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(AbortedError);
  });
});
