import { createHash } from 'node:crypto';
import type { CommandData, CommandResult } from '@junction/connector-runtime';
import type { EstimateLineInput } from '../client';
import { clientFor, notInRepairShopr, type RsCommandContext } from './context';

type EstimateCreate = CommandData<'estimate.create'>;
type LineItem = EstimateCreate['lineItems'][number];

/**
 * The estimate's number is derived from the command's sourceKey (the deal, plus the billing period when split), so
 * a retry after a lost response finds the estimate it created instead of writing a second one.
 */
export function estimateNumber(sourceKey: string): string {
  return `JN-${createHash('sha256').update(sourceKey).digest('hex').slice(0, 10).toUpperCase()}`;
}

const PERIOD_LABELS: Record<NonNullable<EstimateCreate['billingPeriod']>, string> = {
  one_time: 'One-time',
  weekly: 'Weekly',
  monthly: 'Monthly',
  quarterly: 'Quarterly',
  semi_annually: 'Semi-annually',
  yearly: 'Yearly',
  biennially: 'Every 2 years',
  triennially: 'Every 3 years',
};

function toLineInput(line: LineItem, productId: number | undefined): EstimateLineInput {
  const gross = line.quantity * line.unitPrice;
  return {
    item: line.name,
    ...(line.description ? { name: line.description } : {}),
    ...(productId !== undefined ? { product_id: productId } : {}),
    quantity: line.quantity,
    price: line.unitPrice,
    ...(line.unitCost !== undefined ? { cost: line.unitCost } : {}),
    ...(line.taxable !== undefined ? { taxable: line.taxable } : {}),
    // Canonical discounts are absolute per line; RepairShopr takes a percentage.
    ...(line.discount && gross > 0 ? { discount_percent: (line.discount / gross) * 100 } : {}),
  };
}

/** The RepairShopr records an estimate points at, in one ID map look-up: its customer and products, and its contact if mapped. */
async function recordsOf(ctx: RsCommandContext, data: EstimateCreate) {
  const productKeys = [...new Set(data.lineItems.flatMap((line) => line.productSourceKey ?? []))];
  const contactKey = data.contactSourceKeys[0];
  const needed = [
    { entityType: 'customer', sourceKey: data.customerSourceKey },
    ...productKeys.map((sourceKey) => ({ entityType: 'product', sourceKey })),
  ];
  const { required, optional } = await ctx.idMap.lookUp(
    needed.map((record) => ({ ...record, missing: notInRepairShopr(record.entityType, record.sourceKey) })),
    contactKey ? [{ entityType: 'contact', sourceKey: contactKey }] : [],
  );
  const [customerId, ...productIds] = required.map((entry) => Number(entry.externalId));
  const contactId = optional[0] && Number(optional[0].externalId);
  return { customerId, contactId, productIds: new Map(productKeys.map((sourceKey, index) => [sourceKey, productIds[index]])) };
}

export async function createEstimate(ctx: RsCommandContext, data: EstimateCreate): Promise<CommandResult> {
  const client = clientFor(ctx);
  const { customerId, contactId, productIds } = await recordsOf(ctx, data);
  const lineItems = data.lineItems.map((line) => toLineInput(line, line.productSourceKey ? productIds.get(line.productSourceKey) : undefined));
  const number = estimateNumber(data.sourceKey);
  const { deal, billingPeriod } = data;
  const ensured = await ctx.idMap.ensure('estimate', data.sourceKey, {
    // Kept, one call per estimate: an attempt whose answer was lost, or whose worker died before the ID map recorded
    // it, left an estimate that only its number finds. It runs before the create; nothing is read back after it.
    lookupExisting: async () => {
      const existing = await client.estimateByNumber(number);
      return existing && String(existing.id);
    },
    create: async () => {
      const created = await client.createEstimate({
        customer_id: customerId,
        ...(contactId ? { contact_id: contactId } : {}),
        number,
        name: billingPeriod ? `${deal.title} (${PERIOD_LABELS[billingPeriod]})` : deal.title,
        date: deal.wonAt,
        note: [deal.number && `Quote ${deal.number}`, deal.description].filter(Boolean).join('\n') || undefined,
        line_items: lineItems,
      });
      return String(created.id);
    },
  });
  return { entityType: 'estimate', ...ensured };
}
