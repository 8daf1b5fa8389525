import type { Observation, Observations } from '@junction/connector-kit';

/** The kit's observations seen from one connection. */
export class ConnectionObservations {
  constructor(
    private readonly observations: Observations,
    readonly connectionId: string,
  ) {}

  /** The values last observed for these keys; keys never observed are absent. */
  getMany(kind: string, keys: readonly string[]): Promise<Map<string, string>> {
    return this.observations.getMany(this.connectionId, kind, keys);
  }

  async get(kind: string, key: string): Promise<string | undefined> {
    return (await this.getMany(kind, [key])).get(key);
  }

  /**
   * Records what Junction itself wrote (e.g. the status a command set), so the next pull sees no change to publish.
   * Streams do not call this: they return observations with their page, stored once its events are durable.
   */
  set(kind: string, key: string, value: string): Promise<void> {
    return this.observations.setMany(this.connectionId, [{ kind, key, value }]);
  }

  setMany(entries: readonly Observation[]): Promise<void> {
    return this.observations.setMany(this.connectionId, entries);
  }
}
