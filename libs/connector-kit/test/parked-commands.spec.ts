import { IdMap, ParkedCommands, type IdMapKey, type ParkCommandInput, type ParkedCommand } from '../src';
import { query, useServiceSchema } from './support/postgres';

describe('ParkedCommands', () => {
  const service = useServiceSchema();
  let parked: ParkedCommands;
  let idMap: IdMap;
  let keys = 0;

  beforeAll(() => {
    parked = new ParkedCommands(service.dataSource);
    idMap = new IdMap(service.dataSource);
  });

  // A fresh awaited key and command per test, so tests never see each other's rows.
  function command(overrides: Partial<ParkCommandInput> = {}): ParkCommandInput {
    keys += 1;
    const awaited: IdMapKey = { connectionId: 'conn-a', entityType: 'customer', sourceKey: `zomentum:c-${keys}` };
    return {
      consumer: 'repairshopr-commands',
      commandId: `deal-${keys}:contact`,
      subject: 'cmd.repairshopr.contact.ensure',
      envelope: { id: `deal-${keys}:contact`, data: { customerSourceKey: awaited.sourceKey } },
      msgId: `deal-${keys}:contact`,
      stream: 'COMMANDS',
      streamSeq: 40 + keys,
      deliveries: 1,
      traceContext: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
      awaited,
      reason: `customer ${awaited.sourceKey} is not in RepairShopr yet`,
      waitMs: 60_000,
      ...overrides,
    };
  }

  const awaitedBy = ({ awaited: { sourceKey, ...scope } }: ParkCommandInput) => ({ ...scope, sourceKeys: [sourceKey] });

  const rowsOf = (commandId: string) =>
    query(`SELECT * FROM "${service.schema}".parked_commands WHERE command_id = $1`, [commandId]);

  it('hands a command out once the ID map holds what it waits for, then forgets it', async () => {
    const input = command();
    await parked.park(input);
    const released: ParkedCommand[] = [];
    const release = async (row: ParkedCommand) => void released.push(row);

    expect(await parked.awaits(awaitedBy(input))).toBe(true);
    expect(await parked.releaseMapped(release, awaitedBy(input))).toBe(0);
    await idMap.record({ ...input.awaited, externalId: 'rs-1', origin: 'written' });
    expect(await parked.releaseMapped(release, awaitedBy(input))).toBe(1);

    const { waitMs, ...stored } = input;
    expect(released).toEqual([expect.objectContaining(stored)]);
    expect(released[0].expiresAt.getTime() - released[0].parkedAt.getTime()).toBe(waitMs);
    expect(await rowsOf(input.commandId)).toEqual([]);
    expect(await parked.awaits(awaitedBy(input))).toBe(false);
  });

  it('answers for many keys recorded at once: releases the commands whose key is mapped, not the others', async () => {
    const [mappedNow, stillMissing] = [command(), command()];
    await parked.park(mappedNow);
    await parked.park(stillMissing);
    const recorded = { connectionId: 'conn-a', entityType: 'customer', sourceKeys: ['zomentum:never-parked', mappedNow.awaited.sourceKey] };
    const released: string[] = [];

    expect(await parked.awaits(recorded)).toBe(true);
    expect(await parked.awaits({ ...recorded, sourceKeys: ['zomentum:never-parked'] })).toBe(false);
    await idMap.record({ ...mappedNow.awaited, externalId: 'rs-many', origin: 'written' });
    const both = { ...recorded, sourceKeys: [mappedNow.awaited.sourceKey, stillMissing.awaited.sourceKey] };
    expect(await parked.releaseMapped(async (row) => void released.push(row.commandId), both)).toBe(1);

    expect(released).toEqual([mappedNow.commandId]);
    expect(await rowsOf(stillMissing.commandId)).toHaveLength(1);
  });

  it('keeps one row per command, with a new release id, when a copy of it parks again', async () => {
    const input = command();
    await parked.park(input);
    const [first] = await rowsOf(input.commandId);

    const other = { ...input.awaited, entityType: 'product' };
    await parked.park({ ...input, streamSeq: input.streamSeq + 100, awaited: other, reason: 'product is not there yet' });

    const rows = await rowsOf(input.commandId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ entity_type: 'product', stream_seq: String(input.streamSeq + 100), expires_at: first.expires_at });
    expect(rows[0].release_id).not.toBe(first.release_id);
  });

  it('keeps a command whose release failed, for the next attempt', async () => {
    const input = command();
    await parked.park(input);
    await idMap.record({ ...input.awaited, externalId: 'rs-2', origin: 'written' });

    await expect(
      parked.releaseMapped(async () => {
        throw new Error('NATS is away');
      }),
    ).rejects.toThrow('NATS is away');

    expect(await rowsOf(input.commandId)).toHaveLength(1);
    expect(await parked.releaseMapped(async () => undefined)).toBeGreaterThanOrEqual(1);
    expect(await rowsOf(input.commandId)).toEqual([]);
  });

  it('hands a row to one caller at a time', async () => {
    const input = command();
    await parked.park(input);
    await idMap.record({ ...input.awaited, externalId: 'rs-3', origin: 'written' });
    let releaseFirst!: () => void;
    let entered!: () => void;
    const held = new Promise<void>((resolve) => (releaseFirst = resolve));
    const firstHoldsIt = new Promise<void>((resolve) => (entered = resolve));
    const seen: string[] = [];

    const first = parked.releaseMapped(async (row) => {
      seen.push(`first:${row.commandId}`);
      entered();
      await held;
    }, awaitedBy(input));
    await firstHoldsIt;
    const second = await parked.releaseMapped(async (row) => void seen.push(`second:${row.commandId}`), awaitedBy(input));
    releaseFirst();

    expect(await first).toBe(1);
    expect(second).toBe(0);
    expect(seen).toEqual([`first:${input.commandId}`]);
  });

  it('hands out what waited past its deadline, and counts what waits per integration and entity', async () => {
    const overdue = command({ waitMs: 0, envelope: { id: 'x', integrationId: 'int-1' } });
    const waiting = command({ envelope: { id: 'y', integrationId: 'int-1' } });
    await parked.park(overdue);
    await parked.park(waiting);

    const counts = await parked.waiting();
    expect(counts.find((row) => row.integrationId === 'int-1')).toMatchObject({ entityType: 'customer', commands: 2 });

    const expired: string[] = [];
    expect(await parked.expire(async (row) => void expired.push(row.commandId))).toBe(1);
    expect(expired).toEqual([overdue.commandId]);
    expect(await rowsOf(waiting.commandId)).toHaveLength(1);
  });
});
