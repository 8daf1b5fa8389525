import type { ConnectorName, Schedule } from '@junction/contracts';
import { INTEGRATION_KINDS, type IntegrationKind, type SettingsOf, type Side, type StreamDefault } from './integration-kinds';
import type { ScheduleTiming } from './schedule-timing';

interface IntegrationFields {
  id: string;
  name: string;
  enabled: boolean;
  sourceConnectionId: string;
  targetConnectionId: string;
  revision: number;
  createdAt: Date;
  updatedAt: Date;
}

/** An integration with settings parsed (and defaulted) by its kind's schema. */
export type Integration = {
  [K in IntegrationKind]: IntegrationFields & { kind: K; settings: SettingsOf<K> };
}[IntegrationKind];

export type IntegrationOf<K extends IntegrationKind> = Extract<Integration, { kind: K }>;

/** One stream of one connection the integration pulls, and when. */
export interface SyncStream {
  connector: ConnectorName;
  connectionId: string;
  stream: string;
  timing: ScheduleTiming;
}

export function connectorOn(kind: IntegrationKind, side: Side): ConnectorName {
  return INTEGRATION_KINDS[kind][side];
}

export function connectionOn(integration: Pick<Integration, 'sourceConnectionId' | 'targetConnectionId'>, side: Side): string {
  return side === 'source' ? integration.sourceConnectionId : integration.targetConnectionId;
}

function streamDefaults(integration: Integration): StreamDefault[] {
  const kind = INTEGRATION_KINDS[integration.kind] as { streams(settings: Integration['settings']): StreamDefault[] };
  return kind.streams(integration.settings);
}

/** The streams the integration's settings need pulled, with the user's schedule overrides applied. */
export function syncStreamsOf(integration: Integration): SyncStream[] {
  const overrides: Partial<Record<string, ScheduleTiming>> = integration.settings.schedules;
  return streamDefaults(integration).map(({ key, timing }) => {
    const [connector, stream] = key.split('.') as [ConnectorName, string];
    const side: Side = connector === connectorOn(integration.kind, 'source') ? 'source' : 'target';
    return { connector, connectionId: connectionOn(integration, side), stream, timing: overrides[key] ?? timing };
  });
}

/** What the scheduler should run for the integration: nothing while it is disabled. */
export function schedulesOf(integration: Integration): Schedule[] {
  if (!integration.enabled) return [];
  return syncStreamsOf(integration).map(({ timing, ...target }) => ({
    id: `${integration.id}:${target.connector}:${target.stream}`,
    ...target,
    ...timing,
  }));
}
