const NAMESPACE_PATTERN = /^[A-Za-z0-9_-]+$/;

/**
 * Maps logical names to server names. A namespace lets tests and several Junctions share one NATS server:
 * `t1a2b` turns subject `deal.won` into `t1a2b.deal.won` and stream `EVENTS` into `T1A2B_EVENTS`.
 */
export class Namespace {
  readonly prefix: string | undefined;

  constructor(prefix?: string) {
    if (prefix && !NAMESPACE_PATTERN.test(prefix)) {
      throw new Error(`invalid namespace '${prefix}': use letters, digits, '_' or '-'`);
    }
    this.prefix = prefix || undefined;
  }

  subject(logical: string): string {
    return this.prefix ? `${this.prefix}.${logical}` : logical;
  }

  logicalSubject(subject: string): string {
    const head = `${this.prefix}.`;
    return this.prefix && subject.startsWith(head) ? subject.slice(head.length) : subject;
  }

  stream(logical: string): string {
    return this.prefix ? `${this.prefix.toUpperCase()}_${logical}` : logical;
  }
}
