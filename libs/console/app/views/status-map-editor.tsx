import {
  pairsFromRecord,
  pairsFromZzapMap,
  recordFromPairs,
  statusTable,
  withPartner,
  zzapMapFromPairs,
  type Status,
  type StatusPair,
} from '../../src/status-map.js';
import { useI18n } from '../i18n.js';
import { vendorName } from '../vendors.js';

/** How each order integration stores its map, and whether it must be 1 to 1. */
const STATUS_MAPS: Record<string, { oneToOne: boolean; read(value: unknown, sources: Status[]): StatusPair[]; write(pairs: StatusPair[]): unknown }> = {
  'shoprenter-minicrm': {
    oneToOne: false,
    read: (value, sources) => pairsFromRecord((value ?? {}) as Record<string, Status>, sources),
    write: recordFromPairs,
  },
  'zzap-retailcrm': {
    oneToOne: true,
    read: (value) => pairsFromZzapMap((value ?? []) as Array<{ retailcrm: Status; zzap: Status }>),
    write: zzapMapFromPairs,
  },
};

function unique(statuses: Status[]): Status[] {
  return statuses.filter((status, index) => statuses.findIndex((other) => other.id === status.id) === index);
}

/**
 * The status-mapping block: one row per order status the source's connection test fetched, each with a select of
 * the target's statuses; what is not mapped yet is listed, and under the 1:1 rule a status paired twice is marked.
 * Without a test, the saved pairs are shown as they are.
 */
export function StatusMapEditor(props: {
  kind: string;
  source: string;
  target: string;
  sourceStatuses?: Status[];
  targetStatuses?: Status[];
  value: unknown;
  onChange: (value: unknown) => void;
}) {
  const { t } = useI18n();
  const rules = STATUS_MAPS[props.kind];
  const saved = rules.read(props.value, props.sourceStatuses ?? []);
  const sourceStatuses = props.sourceStatuses ?? unique(saved.map((pair) => pair.source));
  const targetStatuses = props.targetStatuses ?? unique(saved.map((pair) => pair.target));
  const table = statusTable({ sourceStatuses, targetStatuses, pairs: saved, oneToOne: rules.oneToOne });
  const sourceVendor = vendorName(props.source);
  const targetVendor = vendorName(props.target);
  const names = (statuses: Status[]) => statuses.map((status) => status.name).join(', ');

  const choose = (source: Status, targetId: string) => {
    // Pairs of statuses the source no longer reports are dropped with the first change.
    const current = table.rows.flatMap((row) => (row.target ? [{ source: row.source, target: row.target }] : []));
    props.onChange(rules.write(withPartner(current, source, targetStatuses.find((status) => status.id === targetId))));
  };

  return (
    <div class="status-map">
      {(!props.sourceStatuses || !props.targetStatuses) && <p class="help">{t('statusMap.needTest')}</p>}
      {rules.oneToOne && <p class="help">{t('statusMap.oneToOne')}</p>}
      {table.rows.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('statusMap.vendorStatus', { vendor: sourceVendor })}</th>
              <th scope="col">{t('statusMap.vendorStatus', { vendor: targetVendor })}</th>
              <th scope="col"><span class="visually-hidden">{t('sync.error')}</span></th>
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row) => (
              <tr key={row.source.id} class={row.problems.length > 0 ? 'problem' : ''}>
                <th scope="row">{row.source.name}</th>
                <td>
                  <select
                    aria-label={`${t('statusMap.vendorStatus', { vendor: targetVendor })}: ${row.source.name}`}
                    value={row.target?.id ?? ''}
                    onChange={(event) => choose(row.source, event.currentTarget.value)}
                  >
                    <option value="">{t('statusMap.notMapped')}</option>
                    {targetStatuses.map((status) => <option value={status.id}>{status.name}</option>)}
                    {row.target && !targetStatuses.some((status) => status.id === row.target?.id) && (
                      <option value={row.target.id}>{row.target.name}</option>
                    )}
                  </select>
                </td>
                <td>
                  {row.problems.map((problem) =>
                    problem === 'unmapped' ? t('statusMap.notMapped')
                      : problem === 'duplicate' ? t('statusMap.duplicate')
                        : t('statusMap.unknownTarget', { vendor: targetVendor }),
                  ).join(' ')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p role="status" class={table.unmapped.length > 0 ? 'warning' : 'ok'}>
        {table.unmapped.length > 0
          ? t('statusMap.unmapped', { count: table.unmapped.length, names: names(table.unmapped) })
          : table.rows.length > 0 ? t('statusMap.allMapped') : ''}
      </p>
      {table.stale.length > 0 && (
        <p class="warning">{t('statusMap.stale', { vendor: sourceVendor, names: names(table.stale.map((pair) => pair.source)) })}</p>
      )}
      {table.unusedTargets.length > 0 && (
        <p class="help">{t('statusMap.unusedTargets', { vendor: targetVendor, names: names(table.unusedTargets) })}</p>
      )}
    </div>
  );
}
