/**
 * ZZap records in the seller web service's shape. Only the first part of GetSellerOrderItem is documented
 * (`code_order` … `qty`); the price, status, last-event and buyer fields are named by analogy with ZZap's buyer-side
 * methods — our guess, kept in one place so real names can be swapped in.
 */

export interface Account {
  id: number;
  /** The cabinet's login: an e-mail. */
  login: string;
  password: string;
  /** Issued by ZZap support, one per cabinet. */
  api_key: string;
}

/** The fields of one ordered part: GetSellerOrdersV3 answers one row per part, the order's fields repeated. */
export interface OrderPart {
  class_man: string;
  logopath: string;
  partnumber: string;
  comment: string;
  class_cat: string;
  imagepath: string;
  imagepathV2: string[];
  qty_order: string;
  qty: string;
  price: number;
  code_doc_b: number;
}

/** An order as stored: its first part's fields inline, further parts in `extra_parts`. */
export interface SellerOrder extends OrderPart {
  code_order: number;
  create_date: string;
  code_cur: string;
  code_track: number;
  descr_track: string;
  /** Time of the last event on the order (creation or status change): what `date_from`/`date_to` filter. */
  date_track: string;
  client_name: string;
  phone: string;
  email: string;
  /** Left out of responses: the order's second and further parts (each becomes a row), the seller's account, and who made the last status change. */
  extra_parts: OrderPart[];
  account_id: number;
  changed_by: 'buyer' | 'seller' | 'api';
}

export interface TrackCode {
  code_track: number;
  descr_track: string;
}

/** ZZap's order statuses as GetCodesTrack lists them; codes and names are our guess. */
export const TRACK_CODES: TrackCode[] = [
  { code_track: 1, descr_track: 'Новый' },
  { code_track: 2, descr_track: 'Принят в работу' },
  { code_track: 3, descr_track: 'Заказан у поставщика' },
  { code_track: 4, descr_track: 'Готов к выдаче' },
  { code_track: 5, descr_track: 'Выдан' },
  { code_track: 6, descr_track: 'Отказ' },
];

export function trackName(code: number): string | undefined {
  return TRACK_CODES.find((track) => track.code_track === code)?.descr_track;
}

const MOSCOW_OFFSET_MS = 3 * 3600_000;

/** ZZap dates are Moscow time (UTC+3, no DST), written without a zone: `2024-05-01T11:33:21`. */
export function moscowTime(date: Date): string {
  return new Date(date.getTime() + MOSCOW_OFFSET_MS).toISOString().slice(0, 19);
}

/**
 * Reads a `date_from`/`date_to` value as clients send them: with a zone (`…Z`, `+03:00`) it is that instant; without,
 * Moscow time (`2024-05-01`, `2024-05-01T11:00:00`, `2024-05-01 11:00:00`). Which formats ZZap accepts is undocumented.
 */
export function parseZzapDate(value: string): string | undefined {
  const trimmed = value.trim();
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/i.test(trimmed);
  const ms = Date.parse(zoned ? trimmed : `${trimmed.replace(' ', 'T')}${trimmed.length === 10 ? 'T00:00:00' : ''}Z`);
  if (Number.isNaN(ms)) return undefined;
  return moscowTime(new Date(zoned ? ms : ms - MOSCOW_OFFSET_MS));
}

const PART_DEFAULTS: OrderPart = {
  class_man: '',
  logopath: '',
  partnumber: '',
  comment: '',
  class_cat: '',
  imagepath: '',
  imagepathV2: [],
  qty_order: '1',
  qty: 'В наличии',
  price: 0,
  code_doc_b: 0,
};

export function completeOrder(record: Record<string, unknown>): SellerOrder {
  const partial = record as Partial<SellerOrder>;
  const code = Number(partial.code_track ?? 1);
  return {
    ...PART_DEFAULTS,
    code_cur: 'руб.',
    client_name: '',
    phone: '',
    email: '',
    account_id: 1,
    changed_by: 'buyer',
    ...partial,
    extra_parts: (partial.extra_parts ?? []).map((part) => ({ ...PART_DEFAULTS, ...part })),
    code_track: code,
    descr_track: trackName(code) ?? '',
  } as SellerOrder;
}
