import type { EventData } from '@junction/connector-runtime';
import type { OrderStatus } from '@junction/contracts';
import type { SellerOrderRow } from './client';

// ZZap seller-order rows (one per ordered part) as canonical orders and status changes. Pure: no I/O.

export type ZzapOrder = EventData<'order.created'>;
export type ZzapStatusChange = EventData<'order.status.changed'>;

/** Moscow has been UTC+3 all year since 2014; ZZap writes its times there, without a zone. */
const MOSCOW_OFFSET = '+03:00';
const MOSCOW_OFFSET_MS = 3 * 3_600_000;

/** A ZZap time (`2024-05-01T11:33:21`, also with a space, a fraction or as a bare date) as ISO 8601 with its offset. */
export function moscowToIso(value: string): string {
  const trimmed = value.trim().replace(' ', 'T');
  const local = /^\d{4}-\d{2}-\d{2}$/.test(trimmed) ? `${trimmed}T00:00:00` : trimmed;
  const iso = /(Z|[+-]\d{2}:?\d{2})$/i.test(local) ? local : `${local}${MOSCOW_OFFSET}`;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?/.test(iso) || Number.isNaN(Date.parse(iso))) {
    throw new Error(`unreadable ZZap time "${value}"`);
  }
  return iso;
}

function instantOf(value: string): number {
  return Date.parse(moscowToIso(value));
}

/** `value` moved by `ms`, written as ZZap writes times (Moscow, no zone), for `date_from`. */
export function shiftMoscowTime(value: string, ms: number): string {
  return new Date(instantOf(value) + ms + MOSCOW_OFFSET_MS).toISOString().slice(0, 19);
}

/** The later of two ZZap times. */
export function laterTime(a: string | undefined, b: string): string {
  return a === undefined || instantOf(b) > instantOf(a) ? b : a;
}

// ZZap shows currencies by their Russian abbreviations; ISO codes pass through.
const CURRENCIES: Record<string, string> = {
  '': 'RUB',
  'руб': 'RUB',
  'р': 'RUB',
  '₽': 'RUB',
  'rur': 'RUB',
  '$': 'USD',
  'долл': 'USD',
  '€': 'EUR',
  'евро': 'EUR',
  'грн': 'UAH',
  'тенге': 'KZT',
  'тг': 'KZT',
  'бел. руб': 'BYN',
  'бел.руб': 'BYN',
};

/** `code_cur` as ISO 4217; an empty one is ZZap's home currency, the rouble. */
export function currencyOf(codeCur: string): string {
  const normalized = codeCur.trim().toLowerCase().replace(/\.$/, '');
  const mapped = CURRENCIES[normalized] ?? (/^[a-z]{3}$/.test(normalized) ? normalized.toUpperCase() : undefined);
  if (!mapped) throw new Error(`unknown ZZap currency "${codeCur}"`);
  return mapped;
}

/** A ZZap status as canonical; a status without a name shows its code. */
export function statusOf(codeTrack: number | string, name: string | undefined): OrderStatus {
  return { id: String(codeTrack), name: name?.trim() || `#${codeTrack}` };
}

/** Rows by order, in the order their first rows came. */
export function groupByOrder(rows: readonly SellerOrderRow[]): SellerOrderRow[][] {
  const orders = new Map<number, SellerOrderRow[]>();
  for (const row of rows) {
    const parts = orders.get(row.code_order);
    if (parts) parts.push(row);
    else orders.set(row.code_order, [row]);
  }
  return [...orders.values()];
}

export interface CompleteOrders {
  /** Orders whose every part is in the answer, each as its rows. */
  orders: SellerOrderRow[][];
  /** When the answer was full: the last-event time whose rows were held back, to ask again from (inclusive). */
  cutAt?: string;
}

/**
 * GetSellerOrdersV3 has no paging, only a row cap: a full answer (`full`) may end inside an order. Its parts share
 * the order's last-event time and the rows come oldest event first, so every row of the answer's last instant is held
 * back and read again from that instant; the orders before it are whole.
 */
export function completeOrders(rows: readonly SellerOrderRow[], full: boolean): CompleteOrders {
  if (!full || rows.length === 0) return { orders: groupByOrder(rows) };
  const cutAt = lastEventOf(rows);
  const cut = instantOf(cutAt);
  return { orders: groupByOrder(rows.filter((row) => instantOf(row.date_track) < cut)), cutAt };
}

/** The newest `date_track` of some rows (at least one); an order's parts all share it. */
export function lastEventOf(rows: readonly SellerOrderRow[]): string {
  return rows.reduce((latest, row) => laterTime(latest, row.date_track), rows[0].date_track);
}

function roundMoney(amount: number): number {
  return Math.round(amount * 100) / 100;
}

function present(value: string): string | undefined {
  return value.trim() === '' ? undefined : value.trim();
}

type OrderItem = ZzapOrder['items'][number];

function toItem(row: SellerOrderRow): OrderItem {
  const name = present(row.class_cat) ?? present(`${row.class_man} ${row.partnumber}`);
  if (!name) throw new Error(`part of order ${row.code_order} has no name, brand or part number`);
  if (!(row.qty_order > 0)) throw new Error(`part ${row.partnumber} of order ${row.code_order} has quantity ${row.qty_order}`);
  return {
    name,
    ...(present(row.partnumber) ? { article: present(row.partnumber) } : {}),
    ...(row.code_doc_b ? { productSourceId: String(row.code_doc_b) } : {}),
    ...(present(row.class_man) ? { brand: present(row.class_man) } : {}),
    quantity: row.qty_order,
    unitPrice: row.price,
    total: roundMoney(row.qty_order * row.price),
  };
}

/** One order from all of its rows (one per part); throws what makes it unpublishable. */
export function toOrder(rows: readonly SellerOrderRow[]): ZzapOrder {
  const latest = rows.find((row) => row.date_track === lastEventOf(rows)) ?? rows[0];
  const currencies = new Set(rows.map((row) => currencyOf(row.code_cur)));
  if (currencies.size !== 1) throw new Error(`order ${latest.code_order} mixes currencies ${[...currencies].join(', ')}`);
  const items = rows.map(toItem);
  const subtotal = roundMoney(items.reduce((sum, item) => sum + (item.total ?? 0), 0));
  const comments = [...new Set(rows.map((row) => row.comment.trim()).filter(Boolean))];
  const customer = {
    // ZZap keeps the buyer's name in one field, in whatever order they typed it.
    ...(present(latest.client_name) ? { firstName: present(latest.client_name) } : {}),
    ...(present(latest.phone) ? { phone: present(latest.phone) } : {}),
    ...(present(latest.email) ? { email: present(latest.email) } : {}),
  };
  return {
    sourceId: String(latest.code_order),
    number: String(latest.code_order),
    status: statusOf(latest.code_track, latest.descr_track),
    customer,
    items,
    totals: { currency: [...currencies][0], subtotal, total: subtotal },
    coupons: [],
    ...(comments.length > 0 ? { comment: comments.join('\n') } : {}),
    createdAt: moscowToIso(latest.create_date),
    updatedAt: moscowToIso(latest.date_track),
  };
}

/**
 * The status an order moved to since it was last seen. Junction records its own writes as seen, so what is left was
 * changed by the buyer or the seller in ZZap.
 */
export function toStatusChange(order: ZzapOrder, from: OrderStatus): ZzapStatusChange {
  return {
    orderSourceId: order.sourceId,
    orderNumber: order.number,
    from,
    to: order.status,
    changedAt: order.updatedAt ?? order.createdAt,
    changedBy: { kind: 'user' },
  };
}

/** Names one change of one order: from, to and when (no whitespace, as event ids require). */
export function statusChangeKey(change: ZzapStatusChange): string {
  return `status-${change.from?.id ?? 'none'}-${change.to.id}-${change.changedAt.replace(/[^0-9T]/g, '')}`;
}
