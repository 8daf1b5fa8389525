import { Router, stringParam } from '@junction/sandbox-kit';
import type { ZzapData } from './data';
import { answer, ERRORS, keyAccount, missingParameters, params, refusal, seller } from './service';
import { parseZzapDate, TRACK_CODES, trackName, type SellerOrder } from './records';

/** GetSellerOrdersV3's documented row cap. */
const MAX_ROWS = 10_000;

export type OrderRow = Omit<SellerOrder, 'account_id' | 'changed_by' | 'extra_parts'>;

/** What a response row shows of an order: its first part, without the stored-only fields. */
export function orderRow({ account_id: _account, changed_by: _by, extra_parts: _parts, ...row }: SellerOrder): OrderRow {
  return row;
}

/** One row per part: the order's fields repeated with each part's own. */
export function orderRows(order: SellerOrder): OrderRow[] {
  const first = orderRow(order);
  return [first, ...order.extra_parts.map((part) => ({ ...first, ...part }))];
}

/** Web methods answer both GET and POST, as ASMX does with HTTP GET/POST enabled. */
function method(router: Router<ZzapData>, name: string, handler: Parameters<Router<ZzapData>['get']>[1]): void {
  router.get(`/${name}`, handler).post(`/${name}`, handler);
}

export function webServiceRoutes(service: Router<ZzapData>): void {
  // The documented connection test: only the key is checked.
  method(service, 'GetRegionsV2', (request, data) => {
    const missing = missingParameters(request, ['login', 'password', 'api_key']);
    if (missing) return missing;
    if (!keyAccount(request, data)) return refusal(ERRORS.badKey);
    const table = [
      { code_region: 1, class_region: 'Москва и область' },
      { code_region: 2, class_region: 'Санкт-Петербург и область' },
    ];
    return answer({ error: '', row_count: table.length, table });
  });

  method(service, 'GetCodesTrack', seller([], () => answer({ error: '', row_count: TRACK_CODES.length, table: TRACK_CODES })));

  /**
   * Parts of the orders whose last event (`date_track`) lies in [date_from, date_to], oldest event first, at most
   * `row_count` rows: no paging, so a full answer may end inside an order, and a poller moves `date_from` to the last
   * `date_track` it saw (the sort order is our guess).
   */
  method(
    service,
    'GetSellerOrdersV3',
    seller(['row_count', 'call_data'], (request, data, account) => {
      const values = params(request);
      const rowCount = Number(stringParam(values, 'row_count'));
      if (!Number.isInteger(rowCount) || rowCount < 1 || rowCount > MAX_ROWS) return refusal(ERRORS.badRowCount);
      const rawFrom = stringParam(values, 'date_from');
      const rawTo = stringParam(values, 'date_to');
      const from = rawFrom ? parseZzapDate(rawFrom) : undefined;
      const to = rawTo ? parseZzapDate(rawTo) : undefined;
      if ((rawFrom && !from) || (rawTo && !to)) return refusal(ERRORS.badDate);
      const codes = (stringParam(values, 'codes_track') ?? '').split(';').filter(Boolean).map(Number);
      const table = data.orders
        .filter(
          (order) =>
            order.account_id === account.id &&
            (from === undefined || order.date_track >= from) &&
            (to === undefined || order.date_track <= to) &&
            (codes.length === 0 || codes.includes(order.code_track)),
        )
        .sort((a, b) => a.date_track.localeCompare(b.date_track) || a.code_order - b.code_order)
        .flatMap(orderRows)
        .slice(0, rowCount);
      return answer({ error: '', row_count: table.length, table, class_template: '' });
    }),
  );

  method(
    service,
    'SetOrderStatusV3',
    seller(['code_order', 'code_track', 'call_data'], (request, data, account) => {
      const values = params(request);
      const order = data.orders.get(Number(stringParam(values, 'code_order')));
      if (!order || order.account_id !== account.id) return refusal(ERRORS.noOrder);
      const code = Number(stringParam(values, 'code_track'));
      if (!trackName(code)) return refusal(ERRORS.badTrack);
      // `response` (the message to the buyer) is not part of the order rows, so it is not kept. Setting the current
      // status again is no event: `date_track` stays, and a poller does not see its own write come back.
      if (code !== order.code_track) data.orders.update(order.code_order, { code_track: code, changed_by: 'api' });
      return answer({ error: '' });
    }),
  );
}
