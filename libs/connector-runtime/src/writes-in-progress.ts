/** A record by its connection, entity type and source key: what a command writes, or needs. */
export interface RecordKey {
  connectionId: string;
  entityType: string;
  sourceKey: string;
}

/**
 * The records this process's running commands are writing. A command that needs one of them (a contact for the
 * customer delivered just before it) waits here for that command to end rather than park and be republished: a
 * park, its release and the second run cost a won deal a quarter of its database statements. Only running commands
 * are tracked, never queued ones, so a waiting command never holds a slot that the command it waits for needs.
 */
export class WritesInProgress {
  private readonly running = new Map<string, Promise<unknown>>();

  /** Runs `work`, the command that writes `key`, known as in progress until it ends, however it ends. */
  async track<T>(key: RecordKey, work: () => Promise<T>): Promise<T> {
    const id = keyId(key);
    const done = work();
    this.running.set(id, done);
    try {
      return await done;
    } finally {
      // A later command for the same record may have taken the entry over.
      if (this.running.get(id) === done) this.running.delete(id);
    }
  }

  isWriting(key: RecordKey): boolean {
    return this.running.has(keyId(key));
  }

  /**
   * Waits for the command writing `key`, if any, to end; at most `maxWaitMs` (two commands that need each other's
   * record, or a slow vendor, then park as before).
   */
  async settled(key: RecordKey, maxWaitMs: number): Promise<void> {
    const done = this.running.get(keyId(key));
    if (!done) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, maxWaitMs);
    });
    try {
      await Promise.race([done.then(ignore, ignore), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

function keyId({ connectionId, entityType, sourceKey }: RecordKey): string {
  return `${connectionId}\u0000${entityType}\u0000${sourceKey}`;
}

function ignore(): void {}
