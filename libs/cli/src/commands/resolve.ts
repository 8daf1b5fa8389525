import type { Integration } from '@junction/console';
import { UsageError } from '../settings';
import type { ControlApiClient } from '../client';

/** An integration named by its id or by its exact name (names need not be unique: then the id is asked for). */
export async function findIntegration(api: ControlApiClient, idOrName: string): Promise<Integration> {
  const { integrations } = await api.get<{ integrations: Integration[] }>('/v1/integrations');
  const byId = integrations.find((integration) => integration.id === idOrName);
  if (byId) return byId;
  const byName = integrations.filter((integration) => integration.name === idOrName);
  if (byName.length === 1) return byName[0];
  if (byName.length > 1) throw new UsageError(`${byName.length} integrations are named '${idOrName}': give the id (${byName.map((i) => i.id).join(', ')})`);
  throw new UsageError(`no integration '${idOrName}' (see junction integrations list)`);
}
