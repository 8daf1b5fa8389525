import { stableSecret } from '@junction/sandbox-kit';
import { z } from 'zod';
import type { ZzapData } from './data';
import { moscowTime, type SellerOrder } from './records';

/** Credentials every start and reset seeds, so docs and tests can name them. */
export const SEEDED = {
  seller: { login: 'seller@parts.example', password: 'zzap-seller-pass', api_key: `zzap1_${stableSecret('zzap/seller', 48)}` },
  /** A second cabinet: its orders never show for the first. */
  other: { login: 'other@parts.example', password: 'zzap-other-pass', api_key: `zzap1_${stableSecret('zzap/other', 48)}` },
} as const;

export const SeedOptions = z.object({
  /** Buyer orders of the seller's cabinet, one every 10 minutes up to now. */
  orders: z.number().int().min(0).max(100_000).default(5),
  /** Whether some seeded orders have moved on from "new" (accepted, ready), as a working cabinet's would. */
  statusChanges: z.boolean().default(true),
});
export type SeedOptions = z.infer<typeof SeedOptions>;

/** Parts whose numbers match the RetailCRM sandbox's catalogue (`ART-1`…`ART-5`), and one that matches nothing. */
const PARTS = [
  { partnumber: 'ART-1', class_man: 'Bosch', class_cat: 'Колодки тормозные', price: 1010 },
  { partnumber: 'ART-2', class_man: 'Bosch', class_cat: 'Колодки тормозные', price: 1020 },
  { partnumber: 'ART-3', class_man: 'Bosch', class_cat: 'Колодки тормозные', price: 1030 },
  { partnumber: 'OC90', class_man: 'Mahle', class_cat: 'Фильтр масляный', price: 640 },
];

const MINUTE = 60_000;

/** Order n of `count`: created (count - n + 1) * 10 minutes ago; every 2nd accepted, every 3rd then ready. */
function generatedOrder(n: number, count: number, nowMs: number, statusChanges: boolean): Partial<SellerOrder> {
  const part = PARTS[(n - 1) % PARTS.length];
  const created = nowMs - (count - n + 1) * 10 * MINUTE;
  const code = !statusChanges ? 1 : n % 3 === 0 ? 4 : n % 2 === 0 ? 2 : 1;
  return {
    ...part,
    create_date: moscowTime(new Date(created)),
    date_track: moscowTime(new Date(code === 1 ? created : created + 5 * MINUTE)),
    code_track: code,
    changed_by: code === 1 ? 'buyer' : 'seller',
    qty_order: String((n % 3) + 1),
    comment: n % 2 === 0 ? 'Позвоните перед отправкой' : '',
    code_doc_b: 9000 + n,
    client_name: `Покупатель ${n}`,
    phone: `+7900000${String(n).padStart(4, '0')}`,
    email: `buyer${n}@example.com`,
  };
}

export function seed(data: ZzapData, options: SeedOptions): void {
  const seller = data.accounts.insert(SEEDED.seller);
  const other = data.accounts.insert(SEEDED.other);
  const now = data.store.clock.nowMs();
  for (let n = 1; n <= options.orders; n++) data.orders.insert({ ...generatedOrder(n, options.orders, now, options.statusChanges), account_id: seller.id });
  data.orders.insert({ ...PARTS[0], client_name: 'Чужой покупатель', account_id: other.id });
}
