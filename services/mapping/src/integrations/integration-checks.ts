import { Inject, Injectable } from '@nestjs/common';
import type { ConnectorName } from '@junction/contracts';
import { ConnectorControl } from '../connections/connector-control';
import { ApiError, type ApiIssue } from '../http/api-error';
import { describeStatuses, unknownStatusIds, unmappedStatuses, type CatalogStatus } from '../rules/status-catalog';
import { connectionOn, connectorOn } from './integration';
import type { Side } from './integration-kinds';
import type { IntegrationDraft } from './integrations.store';

interface StatusCatalog {
  /** Absent when the connector does not list order statuses. */
  statuses?: CatalogStatus[];
  /** The stores (RetailCRM sites) the connection reaches, when the connector tells. */
  stores?: string[];
  issues: ApiIssue[];
}

const SIDES: readonly Side[] = ['source', 'target'];

/** Checks a draft against its connectors: both connections exist, and status maps fit the vendors' statuses. */
@Injectable()
export class IntegrationChecks {
  constructor(@Inject(ConnectorControl) private readonly control: ConnectorControl) {}

  async verify(draft: IntegrationDraft): Promise<void> {
    const issues = await this.connectionIssues(draft);
    // Status maps are checked only for an enabled integration: a draft may be saved while a shop is offline.
    if (issues.length === 0 && draft.enabled) issues.push(...(await this.statusMapIssues(draft)));
    if (issues.length > 0) throw new ApiError('invalid_request', 'the integration does not fit its connections', issues);
  }

  private async connectionIssues(draft: IntegrationDraft): Promise<ApiIssue[]> {
    const found = await Promise.all(
      SIDES.map((side) => this.control.find(connectorOn(draft.kind, side), connectionOn(draft, side))),
    );
    return SIDES.filter((_, index) => !found[index]).map((side) => {
      const connector = connectorOn(draft.kind, side);
      return { path: `${side}ConnectionId`, message: `no ${connector} connection '${connectionOn(draft, side)}'` };
    });
  }

  private async catalog(draft: IntegrationDraft, side: Side): Promise<StatusCatalog> {
    const connector: ConnectorName = connectorOn(draft.kind, side);
    const result = await this.control.call(connector, 'test', { connectionId: connectionOn(draft, side) });
    if (!result.ok) {
      const message = `the ${connector} connection test failed: ${result.message}`;
      return { issues: [{ path: `${side}ConnectionId`, message }] };
    }
    const sites = result.details?.['sites'];
    const stores = Array.isArray(sites) ? sites.filter((site): site is string => typeof site === 'string') : undefined;
    return { statuses: result.orderStatuses, stores, issues: [] };
  }

  /** Status maps against the statuses both vendors report now, and the RetailCRM store against the key's stores. */
  private async statusMapIssues(draft: IntegrationDraft): Promise<ApiIssue[]> {
    if (draft.kind === 'zomentum-repairshopr') return [];
    const [source, target] = await Promise.all(SIDES.map((side) => this.catalog(draft, side)));
    const problems: string[] = [];
    const storeIssues: ApiIssue[] = [];
    if (draft.kind === 'shoprenter-minicrm') {
      const shopIds = Object.keys(draft.settings.statusMap);
      if (source.statuses) {
        const unmapped = unmappedStatuses(source.statuses, shopIds);
        if (unmapped.length > 0) {
          problems.push(`every Shoprenter status needs a MiniCRM status; unmapped: ${describeStatuses(unmapped)}`);
        }
        problems.push(...unknown('Shoprenter', source.statuses, shopIds));
      }
      if (target.statuses) {
        const crmIds = Object.values(draft.settings.statusMap).map((status) => status.id);
        problems.push(...unknown('MiniCRM', target.statuses, crmIds));
      }
    } else {
      const { statusMap: pairs, statusZzapToCrm, storeCode } = draft.settings;
      const zzapIds = pairs.map((pair) => pair.zzap.id);
      if (source.statuses) {
        // Under flag 1 every ZZap status is forwarded, so each needs its RetailCRM partner.
        const unmapped = statusZzapToCrm ? unmappedStatuses(source.statuses, zzapIds) : [];
        if (unmapped.length > 0) {
          problems.push(
            `ZZap -> RetailCRM status sync needs every ZZap status paired with a RetailCRM status; unmapped: ${describeStatuses(unmapped)}`,
          );
        }
        problems.push(...unknown('ZZap', source.statuses, zzapIds));
      }
      if (target.statuses) problems.push(...unknown('RetailCRM', target.statuses, pairs.map((pair) => pair.retailcrm.id)));
      if (target.stores && !target.stores.includes(storeCode)) {
        const known = target.stores.map((store) => `'${store}'`).join(', ') || 'none';
        storeIssues.push({
          path: 'settings.storeCode',
          message: `RetailCRM has no store '${storeCode}' that this API key reaches (it reaches: ${known})`,
        });
      }
    }
    return [
      ...source.issues,
      ...target.issues,
      ...storeIssues,
      ...problems.map((message) => ({ path: 'settings.statusMap', message })),
    ];
  }
}

function unknown(vendor: string, catalog: CatalogStatus[], usedIds: string[]): string[] {
  const ids = unknownStatusIds(catalog, usedIds);
  return ids.length === 0 ? [] : [`not ${vendor} statuses: ${ids.map((id) => `'${id}'`).join(', ')}`];
}
