import { integrationOf } from '../../test/support/fixtures';
import { schedulesOf, syncStreamsOf } from './integration';

const ID = '00000000-0000-4000-8000-000000000001';

describe('schedules derived from an integration', () => {
  it('Zomentum <-> RepairShopr two-way: won documents every 5 minutes, RepairShopr records hourly', () => {
    const integration = integrationOf('zomentum-repairshopr', {}, { sourceConnectionId: 'zm-1', targetConnectionId: 'rs-1' });
    expect(schedulesOf(integration)).toEqual([
      { id: `${ID}:zomentum:documents`, connector: 'zomentum', connectionId: 'zm-1', stream: 'documents', kind: 'interval', everyMinutes: 5 },
      { id: `${ID}:repairshopr:customers`, connector: 'repairshopr', connectionId: 'rs-1', stream: 'customers', kind: 'interval', everyMinutes: 60 },
      { id: `${ID}:repairshopr:contacts`, connector: 'repairshopr', connectionId: 'rs-1', stream: 'contacts', kind: 'interval', everyMinutes: 60 },
      { id: `${ID}:repairshopr:products`, connector: 'repairshopr', connectionId: 'rs-1', stream: 'products', kind: 'interval', everyMinutes: 60 },
    ]);
  });

  it('follows the direction and the sync conditions', () => {
    const pushOnly = integrationOf('zomentum-repairshopr', { direction: 'push_only' });
    expect(syncStreamsOf(pushOnly).map((stream) => stream.stream)).toEqual(['documents']);
    const pullWithoutContacts = integrationOf('zomentum-repairshopr', { direction: 'pull_only', contactSync: false });
    expect(syncStreamsOf(pullWithoutContacts).map((stream) => stream.stream)).toEqual(['customers', 'products']);
  });

  it('reads the Zomentum records every 5 minutes too when updates sync and the direction pushes', () => {
    const pushUpdates = integrationOf('zomentum-repairshopr', { direction: 'push_only', updateSync: true, productSync: false });
    expect(syncStreamsOf(pushUpdates).map(({ connector, stream, timing }) => [connector, stream, timing])).toEqual([
      ['zomentum', 'documents', { kind: 'interval', everyMinutes: 5 }],
      ['zomentum', 'clients', { kind: 'interval', everyMinutes: 5 }],
      ['zomentum', 'contacts', { kind: 'interval', everyMinutes: 5 }],
    ]);
  });

  it('Shoprenter -> MiniCRM: every night at dawn, shop time', () => {
    expect(schedulesOf(integrationOf('shoprenter-minicrm', {}))).toEqual([
      expect.objectContaining({ connector: 'shoprenter', stream: 'orders', kind: 'cron', cron: '0 3 * * *', timeZone: 'Europe/Budapest' }),
    ]);
  });

  it('ZZap <-> RetailCRM: at the chosen interval, RetailCRM history only when its changes go to ZZap', () => {
    const oneWay = integrationOf('zzap-retailcrm', { storeCode: 'parts', syncIntervalMinutes: 30 });
    expect(syncStreamsOf(oneWay).map(({ connector, stream, timing }) => [connector, stream, timing])).toEqual([
      ['zzap', 'orders', { kind: 'interval', everyMinutes: 30 }],
    ]);
    const twoWay = integrationOf('zzap-retailcrm', { storeCode: 'parts', syncIntervalMinutes: 30, statusCrmToZzap: true });
    expect(syncStreamsOf(twoWay).map(({ connector, stream }) => `${connector}.${stream}`)).toEqual([
      'zzap.orders',
      'retailcrm.order_history',
    ]);
  });

  it('applies the user\'s overrides', () => {
    const integration = integrationOf('zomentum-repairshopr', {
      direction: 'pull_only',
      schedules: { 'repairshopr.customers': { kind: 'cron', cron: '30 2 * * *', timeZone: 'America/New_York' } },
    });
    expect(syncStreamsOf(integration)[0].timing).toEqual({ kind: 'cron', cron: '30 2 * * *', timeZone: 'America/New_York' });
    expect(syncStreamsOf(integration)[1].timing).toEqual({ kind: 'interval', everyMinutes: 60 });
  });

  it('schedules nothing while the integration is disabled', () => {
    expect(schedulesOf(integrationOf('shoprenter-minicrm', {}, { enabled: false }))).toEqual([]);
  });
});
