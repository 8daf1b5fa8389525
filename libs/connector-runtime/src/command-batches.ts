/** Runs units of work (a command alone, or a batch of commands) `limit` at a time, in the order they were queued. */
export class WorkQueue {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    // Queued synchronously, so units start in the order run() was called.
    if (this.running < this.limit) this.running += 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      // A finished unit hands its slot straight to the next one.
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}

interface Member<T, R> {
  item: T;
  recordKey: string;
  resolve(result: R): void;
  reject(error: unknown): void;
}

interface Group<T, R> {
  key: string;
  members: Array<Member<T, R>>;
  timer?: NodeJS.Timeout;
  queued: boolean;
}

/** Executes a group's items together; one outcome per item, in order. */
export type ExecuteGroup<T, R> = (items: T[]) => Promise<Array<PromiseSettledResult<R>>>;

/**
 * Gathers items that can share a vendor call (one group per action and connection) while more of them arrive, and
 * executes each group as one unit of the queue. A group is queued when it is full, when nothing joined it for
 * `lingerMs`, when an item of a record it holds arrives (a batch holds one item per record, so one record's commands
 * keep their order), or at `flushAll`; it takes new members until it is full or starts.
 */
export class CommandBatches<T, R> {
  private readonly open = new Map<string, Group<T, R>>();

  constructor(
    private readonly queue: WorkQueue,
    private readonly lingerMs: number,
    private readonly execute: ExecuteGroup<T, R>,
  ) {}

  /** Resolves with the item's own outcome once its group has run. */
  submit(groupKey: string, maxBatch: number, recordKey: string, item: T): Promise<R> {
    let group = this.open.get(groupKey);
    if (group?.members.some((member) => member.recordKey === recordKey)) {
      this.close(group);
      group = undefined;
    }
    if (!group) {
      group = { key: groupKey, members: [], queued: false };
      this.open.set(groupKey, group);
    }
    const joined = group;
    const outcome = new Promise<R>((resolve, reject) => joined.members.push({ item, recordKey, resolve, reject }));
    if (joined.members.length >= maxBatch) {
      this.close(joined);
    } else if (!joined.queued) {
      clearTimeout(joined.timer);
      joined.timer = setTimeout(() => this.enqueue(joined), this.lingerMs);
    }
    return outcome;
  }

  /** Queues every gathering group now: what is queued after this runs after them. */
  flushAll(): void {
    for (const group of [...this.open.values()]) this.close(group);
  }

  private close(group: Group<T, R>): void {
    if (this.open.get(group.key) === group) this.open.delete(group.key);
    this.enqueue(group);
  }

  private enqueue(group: Group<T, R>): void {
    clearTimeout(group.timer);
    if (group.queued) return;
    group.queued = true;
    void this.queue.run(() => this.start(group));
  }

  private async start(group: Group<T, R>): Promise<void> {
    if (this.open.get(group.key) === group) this.open.delete(group.key);
    const { members } = group;
    try {
      const outcomes = await this.execute(members.map((member) => member.item));
      members.forEach((member, index) => {
        const outcome = outcomes[index];
        if (outcome?.status === 'fulfilled') member.resolve(outcome.value);
        else member.reject(outcome ? outcome.reason : new Error('the batch gave no outcome for this command'));
      });
    } catch (error) {
      for (const member of members) member.reject(error);
    }
  }
}
