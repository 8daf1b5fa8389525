import { messageId, sourceKey } from '@junction/contracts';
import { forwardsRetailCrmChange, forwardsZzapChange, isEcho } from '../../rules/status-flags';
import { retailcrmStatusFor, unmappedShopStatus, zzapStatusFor } from '../../rules/status-map';
import { integrationRule, waitUntilLinked, waitUntilSettingsChange, type EventRoute } from '../event-route';

/**
 * Status changes are forwarded as the status they map to. A change the flags do not forward, or one Junction made
 * itself, produces nothing; so does a ZZap <-> RetailCRM change without a partner status (that map is 1 to 1 over
 * the statuses both sides share). A Shoprenter change into an unmapped status waits until the map covers it; a
 * RetailCRM change of an order created from ZZap whose link is not recorded yet waits for the link.
 */
export const orderStatusChangedRoute: EventRoute<'order.status.changed'> = {
  subject: 'order.status.changed',
  rules: [
    integrationRule<'order.status.changed', 'shoprenter-minicrm'>({
      kind: 'shoprenter-minicrm',
      from: 'source',
      plan(event, integration) {
        const change = event.data;
        if (isEcho(change.changedBy.kind)) return [];
        const status = integration.settings.statusMap[change.to.id];
        if (!status) {
          return waitUntilSettingsChange(unmappedShopStatus(`the status change of order ${change.orderNumber ?? change.orderSourceId}`, change.to));
        }
        return [
          {
            connector: 'minicrm',
            action: 'order.status.set',
            part: change.orderSourceId,
            data: {
              sourceKey: sourceKey('shoprenter', event.source.connectionId, 'order', change.orderSourceId),
              orderNumber: change.orderNumber,
              status,
              changeId: event.id,
            },
          },
        ];
      },
    }),
    // Flag 1: ZZap -> RetailCRM; RetailCRM finds its order by the ZZap order's key in its ID map.
    integrationRule<'order.status.changed', 'zzap-retailcrm'>({
      kind: 'zzap-retailcrm',
      from: 'source',
      plan(event, integration) {
        const change = event.data;
        const settings = integration.settings;
        const status = retailcrmStatusFor(settings.statusMap, change.to.id);
        if (!forwardsZzapChange(settings, change.changedBy.kind) || !status) return [];
        return [
          {
            connector: 'retailcrm',
            action: 'order.status.set',
            part: change.orderSourceId,
            data: {
              sourceKey: sourceKey('zzap', event.source.connectionId, 'order', change.orderSourceId),
              orderNumber: change.orderNumber,
              status,
              changeId: event.id,
            },
          },
        ];
      },
    }),
    // Flags 2 and 3: RetailCRM -> ZZap, only for orders that came from this integration's ZZap account.
    integrationRule<'order.status.changed', 'zzap-retailcrm'>({
      kind: 'zzap-retailcrm',
      from: 'target',
      async plan(event, integration, { links }) {
        const change = event.data;
        const settings = integration.settings;
        const status = zzapStatusFor(settings.statusMap, change.to.id);
        if (!forwardsRetailCrmChange(settings, change.changedBy.kind) || !status) return [];
        const crmOrder = { connector: 'retailcrm', connectionId: event.source.connectionId, externalId: change.orderSourceId };
        // sourceKey() is messageId(connector, connectionId, entityType, sourceId): this is everything but the id.
        const zzapOrderPrefix = `${messageId('zzap', integration.sourceConnectionId, 'order')}:`;
        const linked = await links.sourceKeysOf(crmOrder);
        const zzapOrderKey = linked.find((key) => key.startsWith(zzapOrderPrefix));
        if (!zzapOrderKey) {
          // Created from ZZap but not linked yet (its record.written comes late, e.g. after a crash before the write's
          // ack): wait for the link. Linked to another ZZap account, or made in RetailCRM: not this integration's.
          const origin = change.orderOrigin;
          if (origin?.connector !== 'zzap' || linked.length > 0) return [];
          return waitUntilLinked(
            `the status change of RetailCRM order ${change.orderNumber ?? change.orderSourceId} waits until Junction has ` +
              `recorded that it created that order from ZZap order ${origin.sourceId}`,
            crmOrder,
          );
        }
        return [
          {
            connector: 'zzap',
            action: 'order.status.set',
            part: change.orderSourceId,
            data: {
              sourceKey: sourceKey('retailcrm', event.source.connectionId, 'order', change.orderSourceId),
              targetOrderId: zzapOrderKey.slice(zzapOrderPrefix.length),
              orderNumber: change.orderNumber,
              status,
              changeId: event.id,
            },
          },
        ];
      },
    }),
  ],
};
