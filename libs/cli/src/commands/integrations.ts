import { readFileSync } from 'node:fs';
import type { Integration } from '@junction/console';
import { parse } from 'yaml';
import { table } from '../output';
import { UsageError } from '../settings';
import { testConnection } from './connections';
import { printJson, type CommandContext, type ExitCode } from './context';
import { findIntegration } from './resolve';

export async function listIntegrations(context: CommandContext): Promise<ExitCode> {
  const { integrations } = await context.api.get<{ integrations: Integration[] }>('/v1/integrations');
  if (context.json) printJson(context.io, { integrations });
  else {
    context.io.out(table(
      ['ID', 'NAME', 'KIND', 'ENABLED', 'SOURCE', 'TARGET'],
      integrations.map((i) => [i.id, i.name, i.kind, i.enabled ? 'yes' : 'no', i.sourceConnectionId, i.targetConnectionId]),
    ));
  }
  return 0;
}

/**
 * `integrations add --kind k --name n --source id --target id [--settings file.yaml] [--disabled] [--sync]`. The
 * control API validates the settings with the kind's schema and checks them against both connections.
 */
export async function addIntegration(
  context: CommandContext,
  options: { kind?: string; name?: string; source?: string; target?: string; settings?: string; disabled: boolean; sync: boolean },
): Promise<ExitCode> {
  const { kind, name, source, target } = options;
  if (!kind || !name || !source || !target) throw new UsageError('--kind, --name, --source and --target are required');
  const settings = options.settings ? (parse(readFileSync(options.settings, 'utf8')) as unknown) ?? {} : {};
  const body = { kind, name, sourceConnectionId: source, targetConnectionId: target, enabled: !options.disabled, settings };
  // "Save and Sync" as the API offers it, so the runs show what started them.
  const created = await context.api.send<Integration>('POST', `/v1/integrations${options.sync ? '?sync=true' : ''}`, body);
  if (context.json) printJson(context.io, created);
  else context.io.out(`created integration ${created.id} (${created.name})${options.sync ? '; sync requested' : ''}`);
  return 0;
}

/** `integrations test <integration>`: tests both of its connections; 1 when either fails. */
export async function testIntegration(context: CommandContext, idOrName: string | undefined): Promise<ExitCode> {
  if (!idOrName) throw new UsageError('name the integration (id or name)');
  const integration = await findIntegration(context.api, idOrName);
  const [source, target] = integration.kind.split('-');
  const codes = [
    await testConnection(context, source, integration.sourceConnectionId),
    await testConnection(context, target, integration.targetConnectionId),
  ];
  return codes.every((code) => code === 0) ? 0 : 1;
}
