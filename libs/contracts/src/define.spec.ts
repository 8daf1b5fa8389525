import { z } from 'zod';
import { CONNECTORS } from './connectors';
import { commandSubject, defineCommand, defineEvent } from './define';

const data = z.object({ sourceId: z.string() });
const envelope = {
  id: 'test:1',
  type: 'thing.happened',
  version: 1,
  source: { connector: 'zomentum', connectionId: 'zm-1' },
  occurredAt: '2024-09-23T18:00:00Z',
  data: { sourceId: '1' },
};

describe('defineEvent', () => {
  const contract = defineEvent({ subject: 'thing.happened', version: 1, summary: 'A thing happened.', data });

  it('describes the event', () => {
    expect(contract).toMatchObject({ kind: 'event', subject: 'thing.happened', type: 'thing.happened', version: 1, data });
  });

  it('pins the envelope to its type, version and data', () => {
    expect(contract.envelope.parse(envelope)).toEqual(envelope);
    expect(contract.envelope.safeParse({ ...envelope, type: 'thing.vanished' }).success).toBe(false);
    expect(contract.envelope.safeParse({ ...envelope, version: 2 }).success).toBe(false);
    expect(contract.envelope.safeParse({ ...envelope, data: {} }).success).toBe(false);
  });

  it.each(['thing', 'Thing.Happened', 'cmd.thing.happened', 'dlq.thing.happened', 'thing..happened'])(
    'refuses the subject %s',
    (subject) => {
      expect(() => defineEvent({ subject, version: 1, summary: '', data })).toThrow(`Invalid event subject '${subject}'`);
    },
  );

  it('refuses a version below 1', () => {
    expect(() => defineEvent({ subject: 'thing.happened', version: 0, summary: '', data })).toThrow(
      'thing.happened: version must be an integer >= 1, got 0',
    );
  });
});

describe('defineCommand', () => {
  it('addresses every connector unless narrowed', () => {
    const contract = defineCommand({ action: 'thing.do', version: 1, summary: 'Do a thing.', data });
    expect(contract).toMatchObject({
      kind: 'command',
      subject: 'cmd.{connector}.thing.do',
      type: 'cmd.thing.do',
      connectors: CONNECTORS,
    });
  });

  it('accepts the concrete subject of each of its connectors as the envelope type', () => {
    const contract = defineCommand({ action: 'thing.do', version: 2, summary: '', data, connectors: ['minicrm', 'zzap'] });
    const target = { connector: 'zzap', connectionId: 'zz-1' };
    const command = { ...envelope, version: 2, type: commandSubject('zzap', 'thing.do'), target };
    expect(contract.envelope.parse(command)).toEqual(command);
    expect(contract.envelope.safeParse({ ...command, target: undefined }).success).toBe(false);
    expect(contract.envelope.safeParse({ ...command, target: { ...target, connector: 'retailcrm' } }).success).toBe(false);
    expect(contract.envelope.safeParse({ ...command, type: commandSubject('retailcrm', 'thing.do') }).success).toBe(false);
    expect(contract.envelope.safeParse({ ...command, type: 'cmd.thing.do' }).success).toBe(false);
    expect(contract.envelope.safeParse({ ...command, version: 1 }).success).toBe(false);
  });

  it('refuses bad actions and an empty connector list', () => {
    expect(() => defineCommand({ action: 'do', version: 1, summary: '', data })).toThrow("Invalid command action 'do'");
    expect(() => defineCommand({ action: 'thing.do', version: 1, summary: '', data, connectors: [] })).toThrow(
      'thing.do: a command needs at least one connector',
    );
  });
});
