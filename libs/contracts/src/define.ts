import { z } from 'zod';
import { CONNECTORS, ConnectorName } from './connectors';
import { EnvelopeBase } from './envelope';

// Dot-separated lower-case words: 'deal.won', 'order.status.set'.
const DOTTED_NAME = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

/** The concrete subject of a command addressed to one connector, e.g. 'cmd.repairshopr.estimate.create'. */
export type CommandSubject<A extends string = string> = `cmd.${ConnectorName}.${A}`;

export function commandSubject<A extends string>(connector: ConnectorName, action: A): CommandSubject<A> {
  return `cmd.${connector}.${action}`;
}

function envelopeSchema<T extends z.ZodType<string>, V extends number, D extends z.ZodType>(type: T, version: V, data: D) {
  return EnvelopeBase.extend({ type, version: z.literal(version), data });
}

/** The zod schema of a whole envelope whose type, version and data are pinned by a contract. */
export type EnvelopeSchema<T extends z.ZodType<string>, V extends number, D extends z.ZodType> = ReturnType<
  typeof envelopeSchema<T, V, D>
>;

/** The connection a command is addressed to: the connector executes it with this connection's credentials. */
export function commandTargetSchema(connectors: readonly ConnectorName[]) {
  return z.object({ connector: z.enum(connectors), connectionId: z.string().min(1) });
}

/** The zod schema of a command envelope: an envelope plus the target connection. */
function commandEnvelopeSchema<T extends z.ZodType<string>, V extends number, D extends z.ZodType>(
  type: T,
  version: V,
  data: D,
  connectors: readonly ConnectorName[],
) {
  return envelopeSchema(type, version, data).extend({ target: commandTargetSchema(connectors) });
}

export type CommandEnvelopeSchema<T extends z.ZodType<string>, V extends number, D extends z.ZodType> = ReturnType<
  typeof commandEnvelopeSchema<T, V, D>
>;

export interface EventContract<S extends string = string, V extends number = number, D extends z.ZodType = z.ZodType> {
  readonly kind: 'event';
  readonly subject: S;
  /** Name of the message in docs and generated files; for events the subject itself. */
  readonly type: S;
  readonly version: V;
  readonly summary: string;
  readonly data: D;
  readonly envelope: EnvelopeSchema<z.ZodLiteral<S>, V, D>;
}

export interface CommandContract<A extends string = string, V extends number = number, D extends z.ZodType = z.ZodType> {
  readonly kind: 'command';
  readonly action: A;
  /** The subject pattern; `commandSubject(connector, action)` gives the concrete one. */
  readonly subject: `cmd.{connector}.${A}`;
  /** Name of the message in docs and generated files. */
  readonly type: `cmd.${A}`;
  /** The connectors that execute this command. */
  readonly connectors: readonly ConnectorName[];
  readonly version: V;
  readonly summary: string;
  readonly data: D;
  /** Its `type` must be the concrete subject, e.g. 'cmd.repairshopr.estimate.create'; `target` names the connection. */
  readonly envelope: CommandEnvelopeSchema<z.ZodType<CommandSubject<A>, CommandSubject<A>>, V, D>;
}

export type MessageContract = EventContract | CommandContract;

function assertVersion(version: number, name: string): void {
  if (!Number.isInteger(version) || version < 1) throw new Error(`${name}: version must be an integer >= 1, got ${version}`);
}

export function defineEvent<const S extends string, const V extends number, D extends z.ZodType>(definition: {
  subject: S;
  version: V;
  summary: string;
  data: D;
}): EventContract<S, V, D> {
  const { subject, version, summary, data } = definition;
  if (!DOTTED_NAME.test(subject) || /^(cmd|ctl|dlq)\./.test(subject)) {
    throw new Error(`Invalid event subject '${subject}'`);
  }
  assertVersion(version, subject);
  const envelope = envelopeSchema(z.literal(subject), version, data);
  return { kind: 'event', subject, type: subject, version, summary, data, envelope };
}

export function defineCommand<const A extends string, const V extends number, D extends z.ZodType>(definition: {
  action: A;
  version: V;
  summary: string;
  data: D;
  /** Who executes it; every connector unless narrowed. */
  connectors?: readonly ConnectorName[];
}): CommandContract<A, V, D> {
  const { action, version, summary, data, connectors = CONNECTORS } = definition;
  if (!DOTTED_NAME.test(action)) throw new Error(`Invalid command action '${action}'`);
  assertVersion(version, action);
  if (connectors.length === 0) throw new Error(`${action}: a command needs at least one connector`);
  const subjects = connectors.map((connector) => commandSubject(connector, action));
  return {
    kind: 'command',
    action,
    subject: `cmd.{connector}.${action}`,
    type: `cmd.${action}`,
    connectors,
    version,
    summary,
    data,
    envelope: commandEnvelopeSchema(z.enum(subjects), version, data, connectors),
  };
}
