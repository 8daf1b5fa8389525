import { Inject, Injectable } from '@nestjs/common';
import type { ConnectionUpsertRequest, ConnectorName } from '@junction/contracts';
import { ApiError } from '../http/api-error';
import { IntegrationsStore } from '../integrations/integrations.store';
import { ConnectorControl, type ControlData } from './connector-control';

export type ConnectionChanges = Partial<Pick<ConnectionUpsertRequest, 'name' | 'settings' | 'credentials'>>;

/** Connection management on top of the connectors' control subjects, plus the rules that need integrations. */
@Injectable()
export class ConnectionsService {
  constructor(
    @Inject(ConnectorControl) private readonly control: ConnectorControl,
    @Inject(IntegrationsStore) private readonly integrations: IntegrationsStore,
  ) {}

  /** A partial update: settings are merged key by key, and absent credentials keep the stored ones. */
  async update(connector: ConnectorName, connectionId: string, changes: ConnectionChanges): Promise<ControlData<'upsert'>> {
    const current = await this.control.call(connector, 'get', { connectionId });
    return this.control.call(connector, 'upsert', {
      connectionId,
      name: changes.name ?? current.name,
      settings: { ...current.settings, ...changes.settings },
      credentials: changes.credentials,
    });
  }

  /** Refused while an integration uses the connection: it would keep routing to a connection that is gone. */
  async remove(connector: ConnectorName, connectionId: string): Promise<void> {
    const users = await this.integrations.usingConnection(connector, connectionId, { enabledOnly: false });
    if (users.length > 0) {
      const names = users.map((integration) => `'${integration.name}' (${integration.id})`).join(', ');
      throw new ApiError('conflict', `the connection is used by integration ${names}; remove the integration first`);
    }
    const { deleted } = await this.control.call(connector, 'delete', { connectionId });
    if (!deleted) throw ApiError.notFound(`${connector} connection '${connectionId}'`);
  }
}
