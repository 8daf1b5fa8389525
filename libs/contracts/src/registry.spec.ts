import { COMMANDS } from './commands';
import { commandSubject } from './define';
import { EVENTS } from './events';
import { COMMAND_EXAMPLES, EVENT_EXAMPLES } from './examples';
import { ContractViolation, allMessageContracts, contractForSubject, parseEnvelope } from './registry';

const dealWon = EVENT_EXAMPLES['deal.won'];
const estimateCreate = COMMAND_EXAMPLES['estimate.create'];

function violationOf(subject: string, raw: unknown): ContractViolation {
  try {
    parseEnvelope(subject, raw);
  } catch (error) {
    if (error instanceof ContractViolation) return error;
    throw error;
  }
  throw new Error(`${subject}: expected a ContractViolation`);
}

describe('the registry', () => {
  it('holds every event and command once', () => {
    const types = allMessageContracts().map((contract) => contract.type);
    expect(new Set(types).size).toBe(types.length);
    expect(types).toEqual(
      expect.arrayContaining(['deal.won', 'order.status.changed', 'cmd.estimate.create', 'cmd.order.upsert']),
    );
    expect(types).toHaveLength(Object.keys(EVENTS).length + Object.keys(COMMANDS).length);
  });

  it('keys events by subject and commands by action', () => {
    for (const [subject, contract] of Object.entries(EVENTS)) expect(contract.subject).toBe(subject);
    for (const [action, contract] of Object.entries(COMMANDS)) expect(contract.action).toBe(action);
  });

  it('has a valid example envelope for every contract', () => {
    for (const contract of allMessageContracts()) {
      const example = contract.kind === 'event' ? EVENT_EXAMPLES[contract.subject] : COMMAND_EXAMPLES[contract.action];
      // The type travels along so a failure names the contract.
      expect({ type: contract.type, parsed: parseEnvelope(example.type, example).contract }).toEqual({
        type: contract.type,
        parsed: contract,
      });
    }
  });
});

describe('contractForSubject', () => {
  it('resolves event subjects', () => {
    expect(contractForSubject('deal.won')).toBe(EVENTS['deal.won']);
    expect(contractForSubject('order.status.changed')).toBe(EVENTS['order.status.changed']);
    expect(contractForSubject('config.schedule.updated')).toBe(EVENTS['config.schedule.updated']);
  });

  it('resolves concrete command subjects for the connectors that execute them', () => {
    expect(contractForSubject('cmd.repairshopr.estimate.create')).toBe(COMMANDS['estimate.create']);
    expect(contractForSubject('cmd.zomentum.customer.ensure')).toBe(COMMANDS['customer.ensure']);
    expect(contractForSubject(commandSubject('zzap', 'order.status.set'))).toBe(COMMANDS['order.status.set']);
  });

  it.each([
    'deal.lost',
    'deal',
    'cmd.shoprenter.estimate.create',
    'cmd.salesforce.customer.ensure',
    'cmd.repairshopr.invoice.create',
    'cmd.{connector}.estimate.create',
    'cmd.estimate.create',
    'ctl.zomentum.connection.test',
    'dlq.deal.won',
    'toString',
    'constructor',
  ])('returns undefined for %s', (subject) => {
    expect(contractForSubject(subject)).toBeUndefined();
  });
});

describe('parseEnvelope', () => {
  it('returns the contract and the parsed envelope, with defaults applied', () => {
    const { contract, envelope } = parseEnvelope('cmd.repairshopr.customer.ensure', COMMAND_EXAMPLES['customer.ensure']);
    expect(contract).toBe(COMMANDS['customer.ensure']);
    expect(envelope.data).toEqual({ ...COMMAND_EXAMPLES['customer.ensure'].data, updateExisting: false });
  });

  it('names the subject, version and failing path', () => {
    const lineItems = [{ ...dealWon.data.lineItems[0], quantity: 0 }];
    const violation = violationOf('deal.won', { ...dealWon, data: { ...dealWon.data, lineItems } });
    expect(violation.message).toBe('deal.won v1: data.lineItems.0.quantity: Too small: expected number to be >0');
    expect(violation.subject).toBe('deal.won');
    expect(violation.issues).toEqual([{ path: 'data.lineItems.0.quantity', message: 'Too small: expected number to be >0' }]);
  });

  it('rejects a version it does not read, naming the one it reads', () => {
    const newer = { ...dealWon, version: 2, data: { renamed: true } };
    expect(violationOf('deal.won', newer).message).toBe(
      'deal.won v1: version: Unsupported version 2: this consumer reads version 1',
    );
    expect(violationOf('deal.won', { ...dealWon, version: '1' }).message).toBe(
      'deal.won v1: version: Invalid input: expected 1',
    );
  });

  it('rejects an envelope whose type names another event', () => {
    expect(violationOf('deal.won', { ...dealWon, type: 'order.created' }).message).toBe(
      'deal.won v1: type: Invalid input: expected "deal.won"',
    );
  });

  it('rejects a command addressed to another connector than the subject', () => {
    const misrouted = { ...COMMAND_EXAMPLES['customer.ensure'], type: 'cmd.zomentum.customer.ensure' };
    expect(violationOf('cmd.repairshopr.customer.ensure', misrouted).message).toBe(
      'cmd.repairshopr.customer.ensure v1: type: Expected "cmd.repairshopr.customer.ensure", the subject it arrived on, ' +
        'got "cmd.zomentum.customer.ensure"',
    );
  });

  it('rejects a command type for a connector that does not execute it', () => {
    expect(violationOf('cmd.repairshopr.estimate.create', { ...estimateCreate, type: 'cmd.zzap.estimate.create' }).message).toBe(
      'cmd.repairshopr.estimate.create v1: type: Invalid input: expected "cmd.repairshopr.estimate.create"',
    );
  });

  it('lists several problems and the envelope-level ones without a path', () => {
    expect(violationOf('deal.won', { ...dealWon, id: 'has space', data: { ...dealWon.data, currency: 'euro' } }).message).toBe(
      'deal.won v1: id: Must not contain whitespace; data.currency: Expected an ISO 4217 code such as EUR',
    );
    expect(violationOf('deal.won', 'not json').message).toBe('deal.won v1: Invalid input: expected object, received string');
  });

  it('caps a long list of problems', () => {
    const violation = violationOf('deal.won', {});
    expect(violation.issues).toHaveLength(6);
    expect(violation.message).toBe(
      'deal.won v1: id: Invalid input: expected string, received undefined; type: Invalid input: expected "deal.won"; ' +
        'version: Invalid input: expected 1; source: Invalid input: expected object, received undefined; ' +
        'occurredAt: Invalid input: expected string, received undefined; and 1 more',
    );
  });

  it('rejects subjects without a contract', () => {
    const violation = violationOf('deal.lost', dealWon);
    expect(violation).toBeInstanceOf(Error);
    expect(violation.name).toBe('ContractViolation');
    expect(violation.message).toBe('deal.lost: No contract for this subject');
  });
});
