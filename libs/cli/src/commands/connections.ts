import { readFileSync } from 'node:fs';
import { CONNECTION_FORMS, CONNECTOR_NAMES, connectionRequest, type Connection, type ConnectionTest } from '@junction/console';
import type { ConnectorName } from '@junction/contracts';
import { ApiError } from '../client';
import { table } from '../output';
import { UsageError } from '../settings';
import { printJson, type CommandContext, type ExitCode } from './context';

function connectorOf(name: string | undefined): ConnectorName {
  if (!name || !(CONNECTOR_NAMES as string[]).includes(name)) {
    throw new UsageError(`name a connector: ${CONNECTOR_NAMES.join(', ')}`);
  }
  return name as ConnectorName;
}

/** `connections list [--connector c]`: a connector that does not answer is reported, the others listed. */
export async function listConnections(context: CommandContext, connector?: string): Promise<ExitCode> {
  const connectors = connector ? [connectorOf(connector)] : CONNECTOR_NAMES;
  const found: Connection[] = [];
  let failed = false;
  for (const name of connectors) {
    try {
      found.push(...(await context.api.get<{ connections: Connection[] }>(`/v1/connections/${name}`)).connections);
    } catch (error) {
      if (!(error instanceof ApiError) || error.status < 500) throw error;
      context.io.err(`${name}: ${error.body.message ?? error.body.error}`);
      failed = Boolean(connector);
    }
  }
  if (context.json) printJson(context.io, { connections: found });
  else {
    const settings = (connection: Connection) =>
      Object.entries(connection.settings).map(([key, value]) => `${key}=${String(value)}`).join(' ');
    context.io.out(table(
      ['CONNECTOR', 'ID', 'NAME', 'CREDENTIALS', 'SETTINGS'],
      found.map((c) => [c.connector, c.id, c.name, c.hasCredentials ? 'stored' : 'none', settings(c)]),
    ));
  }
  return failed ? 1 : 0;
}

/** `key=value` pairs; `key=@file` reads the value from a file, so a secret need not appear in the command line. */
export function parseFieldValues(pairs: string[]): Record<string, string> {
  return Object.fromEntries(pairs.map((pair) => {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`expected key=value, got '${pair}'`);
    const value = pair.slice(at + 1);
    return [pair.slice(0, at), value.startsWith('@') ? readFileSync(value.slice(1), 'utf8').trim() : value];
  }));
}

/** `connections add <connector> --name n --set key=value...`: the fields are the ones the connector asks for. */
export async function addConnection(
  context: CommandContext,
  connectorName: string | undefined,
  options: { name?: string; set: string[]; test: boolean },
): Promise<ExitCode> {
  const connector = connectorOf(connectorName);
  if (!options.name) throw new UsageError('--name is required');
  const values = parseFieldValues(options.set);
  const known = CONNECTION_FORMS[connector].map((field) => field.key);
  const unknown = Object.keys(values).filter((key) => !known.includes(key));
  if (unknown.length > 0) throw new UsageError(`${connector} has no field ${unknown.join(', ')}; its fields: ${known.join(', ')}`);
  const { request, missing } = connectionRequest(connector, values, 'create');
  if (missing.length > 0) throw new UsageError(`${connector} needs ${missing.map((key) => `--set ${key}=…`).join(' ')}`);
  const created = await context.api.send<Connection>('POST', '/v1/connections', { connector, name: options.name, ...request });
  if (context.json && !options.test) printJson(context.io, created);
  else if (!context.json) context.io.out(`created ${connector} connection ${created.id} (${created.name})`);
  return options.test ? testConnection(context, connector, created.id) : 0;
}

/** `connections test <connector> <id>`: the vendor's answer and the order statuses it reports; 1 when it fails. */
export async function testConnection(context: CommandContext, connectorName: string | undefined, id: string | undefined): Promise<ExitCode> {
  const connector = connectorOf(connectorName);
  if (!id) throw new UsageError('name the connection id');
  const result = await context.api.send<ConnectionTest>('POST', `/v1/connections/${connector}/${id}/test`);
  if (context.json) printJson(context.io, result);
  else {
    context.io.out(`${result.ok ? 'ok' : 'FAILED'}: ${result.message}`);
    if (result.orderStatuses) context.io.out(table(['STATUS ID', 'NAME'], result.orderStatuses.map((status) => [status.id, status.name])));
  }
  return result.ok ? 0 : 1;
}
