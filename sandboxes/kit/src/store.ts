import type { Clock } from './clock';

export type StoredRecord = Record<string, unknown>;

export interface TimestampFields {
  createdAt: string;
  updatedAt: string;
  /** How the vendor writes a time; ISO 8601 with milliseconds (`2024-05-01T08:33:21.053Z`) by default. */
  format?: (date: Date) => string;
}

export interface CollectionOptions<T extends object> {
  /** Name of the id field; `id` by default (MiniCRM: `Id`). */
  idField?: string;
  /** `increment` (1, 2, 3…, the default) or a function turning the sequence number into the vendor's id format. */
  ids?: 'increment' | ((sequence: number) => string | number);
  /** Fields stamped with the sandbox clock: both on insert (unless given), the update field on every update. */
  timestamps?: TimestampFields;
  /**
   * Turns a partial record into a whole one (vendor defaults, nulls, derived fields such as `fullname`). Runs on
   * insert, seed and update, so it must accept its own output.
   */
  complete?: (record: StoredRecord) => T;
  /**
   * Keys by which `where` finds records at once, by name: the vendor's own indexes (an order card by its reference, a
   * contact by e-mail). Without one a search reads every record, and a benchmark stores thousands.
   */
  indexes?: Record<string, (record: T) => string | undefined>;
}

/** The sandbox's in-memory database: named collections, listed by GET /__sandbox/state and filled by /seed. */
export class Store {
  private readonly collections = new Map<string, Collection<object>>();

  constructor(readonly clock: Clock) {}

  define<T extends object>(name: string, options: CollectionOptions<T> = {}): Collection<T> {
    if (this.collections.has(name)) throw new Error(`Collection ${name} is defined twice`);
    const collection = new Collection<T>(name, this.clock, options);
    // Listed by name for the control API, which reads records only (an index's key function takes a T).
    this.collections.set(name, collection as unknown as Collection<object>);
    return collection;
  }

  collection(name: string): Collection<object> | undefined {
    return this.collections.get(name);
  }

  names(): string[] {
    return [...this.collections.keys()];
  }

  snapshot(): Record<string, object[]> {
    return Object.fromEntries([...this.collections].map(([name, collection]) => [name, collection.all()]));
  }

  clear(): void {
    for (const collection of this.collections.values()) collection.clear();
  }
}

/** Records in insertion order; every read returns copies, so only `insert`/`update`/`remove` change the data. */
export class Collection<T extends object> {
  private readonly records = new Map<string, T>();
  private sequence = 0;
  private readonly idField: string;
  /** Per index, the ids of the records under each key. */
  private readonly indexed = new Map<string, Map<string, Set<string>>>();

  constructor(
    readonly name: string,
    private readonly clock: Clock,
    private readonly options: CollectionOptions<T>,
  ) {
    this.idField = options.idField ?? 'id';
    for (const index of Object.keys(options.indexes ?? {})) this.indexed.set(index, new Map());
  }

  get size(): number {
    return this.records.size;
  }

  /** Adds a record; an id in `fields` is kept (seeding), otherwise the next one is assigned. */
  insert(fields: Partial<T> | StoredRecord): T {
    const given = fields as StoredRecord;
    const id = given[this.idField] ?? this.nextId();
    if (this.records.has(String(id))) throw new Error(`${this.name} ${String(id)} exists already`);
    if (typeof id === 'number') this.sequence = Math.max(this.sequence, id);
    const stamped: StoredRecord = { ...given, [this.idField]: id };
    const timestamps = this.options.timestamps;
    if (timestamps) {
      const now = this.timestamp();
      stamped[timestamps.createdAt] ??= now;
      stamped[timestamps.updatedAt] ??= stamped[timestamps.createdAt];
    }
    const record = this.complete(stamped);
    this.records.set(String(id), record);
    this.index(String(id), record);
    return structuredClone(record);
  }

  get(id: string | number): T | undefined {
    const record = this.records.get(String(id));
    return record && structuredClone(record);
  }

  update(id: string | number, patch: Partial<T> | StoredRecord): T | undefined {
    const current = this.records.get(String(id));
    if (!current) return undefined;
    const stored = current as StoredRecord;
    const merged: StoredRecord = { ...stored, ...(patch as StoredRecord), [this.idField]: stored[this.idField] };
    if (this.options.timestamps) merged[this.options.timestamps.updatedAt] = this.timestamp();
    const record = this.complete(merged);
    this.unindex(String(id), current);
    this.records.set(String(id), record);
    this.index(String(id), record);
    return structuredClone(record);
  }

  remove(id: string | number): boolean {
    const current = this.records.get(String(id));
    if (current) this.unindex(String(id), current);
    return this.records.delete(String(id));
  }

  /** Copies of the records whose `index` key is `key`, in the order they got it. */
  where(index: string, key: string): T[] {
    const ids = this.indexed.get(index);
    if (!ids) throw new Error(`${this.name} has no index ${index}`);
    return [...(ids.get(key) ?? [])].map((id) => structuredClone(this.records.get(id) as T));
  }

  all(): T[] {
    return [...this.records.values()].map((record) => structuredClone(record));
  }

  /** Copies of the records that match. */
  filter(predicate: (record: T) => boolean): T[] {
    return this.view(predicate).map((record) => structuredClone(record) as T);
  }

  /**
   * The stored records that match, not copies: for a listing that presents one page of many matches (copying every
   * one of 100,000 orders to send 200 cost more than the page). Callers must not change them; an update replaces a
   * stored record instead of changing it, so what they hold stays as it was read.
   */
  view(predicate: (record: T) => boolean): ReadonlyArray<Readonly<T>> {
    // Iterated, not spread into an array first: searches scan every record, thousands in a benchmark run.
    const matching: T[] = [];
    for (const record of this.records.values()) if (predicate(record)) matching.push(record);
    return matching;
  }

  /** How many records match, without copying them. */
  count(predicate: (record: T) => boolean): number {
    let matching = 0;
    for (const record of this.records.values()) if (predicate(record)) matching += 1;
    return matching;
  }

  find(predicate: (record: T) => boolean): T | undefined {
    for (const record of this.records.values()) if (predicate(record)) return structuredClone(record);
    return undefined;
  }

  clear(): void {
    this.records.clear();
    for (const keys of this.indexed.values()) keys.clear();
    this.sequence = 0;
  }

  private index(id: string, record: T): void {
    for (const [index, keyOf] of Object.entries(this.options.indexes ?? {})) {
      const key = keyOf(record);
      if (key === undefined) continue;
      const keys = this.indexed.get(index) as Map<string, Set<string>>;
      const ids = keys.get(key) ?? new Set<string>();
      keys.set(key, ids.add(id));
    }
  }

  private unindex(id: string, record: T): void {
    for (const [index, keyOf] of Object.entries(this.options.indexes ?? {})) {
      const key = keyOf(record);
      if (key === undefined) continue;
      const keys = this.indexed.get(index) as Map<string, Set<string>>;
      const ids = keys.get(key);
      ids?.delete(id);
      if (ids?.size === 0) keys.delete(key);
    }
  }

  private nextId(): string | number {
    const ids = this.options.ids ?? 'increment';
    for (;;) {
      this.sequence += 1;
      const id = ids === 'increment' ? this.sequence : ids(this.sequence);
      if (!this.records.has(String(id))) return id;
    }
  }

  private timestamp(): string {
    const format = this.options.timestamps?.format ?? ((date: Date) => date.toISOString());
    return format(this.clock.now());
  }

  /** Applies the vendor's `complete`, and puts the id first, where people reading state and responses look. */
  private complete(record: StoredRecord): T {
    const completed = this.options.complete ? this.options.complete(record) : record;
    return { [this.idField]: record[this.idField], ...completed } as T;
  }
}
