import type { EventData } from '@junction/connector-runtime';
import type { BillingPeriod } from '@junction/contracts';
import type { ZBillingPeriod, ZClient, ZContact, ZDocument, ZDocumentLine, ZItem } from './client';
import { definedFields } from './context';

// Zomentum records as canonical entities, and the few names that differ between the two.

export function toBillingPeriod(period: ZBillingPeriod): BillingPeriod {
  return period === 'annually' ? 'yearly' : period;
}

export function fromBillingPeriod(period: BillingPeriod): ZBillingPeriod {
  return period === 'yearly' ? 'annually' : period;
}

/** Items without a category still need one downstream; Zomentum's UI shows them as uncategorised. */
export const UNCATEGORIZED = 'Uncategorized';

export function toCustomer(client: ZClient): EventData<'customer.created'> {
  const address = definedFields({
    line1: client.billing_address?.address_line_1,
    line2: client.billing_address?.address_line_2,
    city: client.billing_address?.city,
    region: client.billing_address?.state,
    postalCode: client.billing_address?.zip_code,
    country: client.billing_address?.country,
  });
  return {
    sourceId: client.id,
    businessName: client.name,
    ...definedFields({ email: client.email, phone: client.phone }),
    ...(Object.keys(address).length > 0 ? { address } : {}),
    createdAt: client.created_at,
    updatedAt: client.updated_at,
  };
}

export function toContact(contact: ZContact): EventData<'contact.created'> {
  return {
    sourceId: contact.id,
    customerSourceId: contact.client_company_id,
    ...definedFields({
      firstName: contact.name.first,
      lastName: contact.name.last,
      email: contact.email,
      phone: contact.phone,
    }),
    createdAt: contact.created_at,
    updatedAt: contact.updated_at,
  };
}

/** A product's price is the pricing of `period` when it has one, else its first pricing. */
export function toProduct(item: ZItem, period?: ZBillingPeriod): EventData<'product.created'> {
  const pricing = item.pricing.find((entry) => entry.billing_period === period) ?? item.pricing[0];
  return {
    sourceId: item.id,
    name: item.name,
    ...definedFields({ description: item.description, sku: item.sku }),
    category: item.category?.name ?? UNCATEGORIZED,
    price: pricing?.sell_price ?? 0,
    ...(pricing?.cost_price != null ? { cost: pricing.cost_price } : {}),
    billingPeriod: toBillingPeriod(pricing?.billing_period ?? 'one_time'),
    createdAt: item.created_at,
    updatedAt: item.updated_at,
  };
}

type DealLineItem = EventData<'deal.won'>['lineItems'][number];

/**
 * A line's recurring price and its one-time setup fee are billed on different periods, so a setup fee becomes a
 * one-time line of its own. A line without an item keeps its text as an ad-hoc product.
 */
function toLineItems(line: ZDocumentLine, item: ZItem | undefined): DealLineItem[] {
  const product = item
    ? toProduct(item, line.billing_period)
    : {
        sourceId: `line-${line.id}`,
        name: line.name,
        category: UNCATEGORIZED,
        price: line.sell_price,
        billingPeriod: toBillingPeriod(line.billing_period),
      };
  const base = { product, ...definedFields({ description: line.description }), quantity: line.quantity };
  const lines: DealLineItem[] = [
    {
      ...base,
      sourceId: line.id,
      unitPrice: line.sell_price,
      unitCost: line.cost_price,
      ...(line.discount > 0 ? { discount: line.discount } : {}),
      billingPeriod: toBillingPeriod(line.billing_period),
    },
  ];
  if (line.setup_price > 0) {
    lines.push({ ...base, sourceId: `${line.id}-setup`, unitPrice: line.setup_price, billingPeriod: 'one_time' });
  }
  return lines;
}

export function toDeal(
  document: ZDocument,
  client: ZClient,
  contacts: ZContact[],
  items: Map<string, ZItem>,
): EventData<'deal.won'> {
  return {
    sourceId: document.id,
    ...definedFields({ number: document.document_number }),
    title: document.name,
    currency: document.currency_code.toUpperCase(),
    customer: toCustomer(client),
    contacts: contacts.map(toContact),
    lineItems: document.line_items.flatMap((line) => toLineItems(line, line.item_id ? items.get(line.item_id) : undefined)),
    total: document.total,
    // Zomentum records no "won at": the document's last change is when it was marked won.
    wonAt: document.updated_at,
  };
}
