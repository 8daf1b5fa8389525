import { sourceKey } from '@junction/contracts';
import { retailcrmStatusFor } from '../../rules/status-map';
import { unmappedShopStatus } from '../../rules/status-map';
import { integrationRule, waitUntilSettingsChange, type EventOf, type EventRoute, type IntegrationRule } from '../event-route';

type OrderSubject = 'order.created' | 'order.updated';

function orderRules<S extends OrderSubject>(): Array<IntegrationRule<S>> {
  return [
    // Shoprenter -> MiniCRM: the order with its coupons, and the MiniCRM status its status maps to. An order in a
    // status the map does not cover waits (it is not dropped) until the map is completed.
    integrationRule<S, 'shoprenter-minicrm'>({
      kind: 'shoprenter-minicrm',
      from: 'source',
      plan(event: EventOf<S>, integration) {
        const order = event.data;
        const targetStatus = integration.settings.statusMap[order.status.id];
        if (!targetStatus) return waitUntilSettingsChange(unmappedShopStatus(`order ${order.number}`, order.status));
        return [
          {
            connector: 'minicrm',
            action: 'order.upsert',
            part: order.sourceId,
            data: {
              sourceKey: sourceKey('shoprenter', event.source.connectionId, 'order', order.sourceId),
              order,
              targetStatus,
            },
          },
        ];
      },
    }),
    // ZZap -> RetailCRM: the order goes to the integration's store; its status only when flag 1 syncs statuses.
    integrationRule<S, 'zzap-retailcrm'>({
      kind: 'zzap-retailcrm',
      from: 'source',
      plan(event: EventOf<S>, integration) {
        const order = event.data;
        const settings = integration.settings;
        return [
          {
            connector: 'retailcrm',
            action: 'order.upsert',
            part: order.sourceId,
            data: {
              sourceKey: sourceKey('zzap', event.source.connectionId, 'order', order.sourceId),
              order,
              targetStatus: settings.statusZzapToCrm ? retailcrmStatusFor(settings.statusMap, order.status.id) : undefined,
              destination: settings.storeCode,
              productMatching: settings.productMatching,
            },
          },
        ];
      },
    }),
  ];
}

export const orderCreatedRoute: EventRoute<'order.created'> = { subject: 'order.created', rules: orderRules() };
export const orderUpdatedRoute: EventRoute<'order.updated'> = { subject: 'order.updated', rules: orderRules() };
