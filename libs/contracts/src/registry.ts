import { z } from 'zod';
import { COMMANDS, CommandAction } from './commands';
import { ConnectorName } from './connectors';
import { EVENTS, EventSubject } from './events';

export type RegisteredContract = (typeof EVENTS)[EventSubject] | (typeof COMMANDS)[CommandAction];
export type RegisteredEnvelope = z.infer<RegisteredContract['envelope']>;

export function allMessageContracts(): RegisteredContract[] {
  return [...Object.values(EVENTS), ...Object.values(COMMANDS)];
}

function isKeyOf<T extends object>(record: T, key: string): key is Extract<keyof T, string> {
  return Object.prototype.hasOwnProperty.call(record, key);
}

/** The contract of a logical subject: an event subject or a concrete command subject. */
export function contractForSubject(subject: string): RegisteredContract | undefined {
  if (isKeyOf(EVENTS, subject)) return EVENTS[subject];
  const command = /^cmd\.([^.]+)\.(.+)$/.exec(subject);
  if (!command) return undefined;
  const [, connector, action] = command;
  if (!isKeyOf(COMMANDS, action)) return undefined;
  const contract = COMMANDS[action];
  return contract.connectors.includes(connector as ConnectorName) ? contract : undefined;
}

export interface ContractIssue {
  /** Dotted path into the envelope, e.g. 'data.lineItems.0.quantity'; empty for the envelope as a whole. */
  path: string;
  message: string;
}

// Dead-letter reasons are read by people; a handful of issues says enough.
const MAX_LISTED_ISSUES = 5;

function describe(issues: readonly ContractIssue[]): string {
  const listed = issues.slice(0, MAX_LISTED_ISSUES).map(({ path, message }) => (path ? `${path}: ${message}` : message));
  const more = issues.length - listed.length;
  return listed.join('; ') + (more > 0 ? `; and ${more} more` : '');
}

/** A message that does not match the contract of its subject; the message names the subject and the failing paths. */
export class ContractViolation extends Error {
  override readonly name = 'ContractViolation';

  constructor(
    readonly subject: string,
    readonly version: number | undefined,
    readonly issues: readonly ContractIssue[],
  ) {
    super(`${version === undefined ? subject : `${subject} v${version}`}: ${describe(issues)}`);
  }
}

/**
 * Validates an event on its own subject, typed by its contract. Throws a ContractViolation whose message names the
 * failing fields: it becomes the dead-letter reason a user reads.
 */
export function parseEvent<S extends EventSubject>(subject: S, raw: unknown): z.output<(typeof EVENTS)[S]['envelope']> {
  return parseEnvelope(subject, raw).envelope as z.output<(typeof EVENTS)[S]['envelope']>;
}

/**
 * Validates a JSON-decoded message body against the contract of the subject it arrived on.
 * Throws a ContractViolation for unknown subjects, invalid envelopes and envelopes whose type is not the subject.
 */
export function parseEnvelope(subject: string, raw: unknown): { contract: RegisteredContract; envelope: RegisteredEnvelope } {
  const contract = contractForSubject(subject);
  if (!contract) throw new ContractViolation(subject, undefined, [{ path: '', message: 'No contract for this subject' }]);
  const version = versionOf(raw);
  if (version !== undefined && version !== contract.version) {
    // Another version's data is expected to differ: listing its fields would only bury the point.
    const message = `Unsupported version ${version}: this consumer reads version ${contract.version}`;
    throw new ContractViolation(subject, contract.version, [{ path: 'version', message }]);
  }
  const result = contract.envelope.safeParse(raw);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
    throw new ContractViolation(subject, contract.version, issues);
  }
  const envelope: RegisteredEnvelope = result.data;
  // A command's type may name any of its connectors; it must name the one it was sent to.
  if (envelope.type !== subject) {
    throw new ContractViolation(subject, contract.version, [
      { path: 'type', message: `Expected "${subject}", the subject it arrived on, got "${envelope.type}"` },
    ]);
  }
  return { contract, envelope };
}

/** The envelope's version when it is a number; anything else is left to the schema to report. */
function versionOf(raw: unknown): number | undefined {
  if (typeof raw !== 'object' || raw === null || !('version' in raw)) return undefined;
  return typeof raw.version === 'number' ? raw.version : undefined;
}
