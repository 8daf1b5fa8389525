import { empty, json, stringParam, type Router } from '@junction/sandbox-kit';
import { guarded, PERMISSIONS } from '../auth';
import type { RepairShoprData } from '../data';
import { decimalString, isTruthyParam, pageOf, pickFields, type FieldKind } from '../fields';
import type { Account, Estimate, LineItem } from '../records';

const ESTIMATE_FIELDS: Record<string, FieldKind> = {
  customer_id: 'integer',
  date: 'string',
  name: 'string',
  number: 'string',
  note: 'string',
  status: 'string',
  ticket_id: 'integer',
  location_id: 'integer',
  contact_id: 'integer',
};

// The swagger lists item/name/product_id/quantity; price, cost, taxable and discount come from the invoice
// line-item schema, which is the same model server-side.
const LINE_ITEM_FIELDS: Record<string, FieldKind> = {
  item: 'string',
  name: 'string',
  product_id: 'integer',
  quantity: 'number',
  price: 'number',
  cost: 'number',
  taxable: 'boolean',
  discount_percent: 'number',
};

const ESTIMATE_STATUSES = ['Fresh', 'Draft', 'Approved', 'Declined'];

type FieldErrors = Record<string, string[]>;

function addError(errors: FieldErrors, field: string, message: string): void {
  const messages = (errors[field] ??= []);
  if (!messages.includes(message)) messages.push(message);
}

function lineItemsOf(data: RepairShoprData, estimate: Estimate): LineItem[] {
  return data.lineItems.where('estimate', String(estimate.id)).sort((a, b) => a.position - b.position);
}

function presentLineItem(line: LineItem) {
  const { account_id: _account, estimate_id: _estimate, ...shown } = line;
  return shown;
}

/** The list/summary form; money is decimal strings. Tax rates are not simulated: tax is always "0.0". */
function presentEstimate(estimate: Estimate, data: RepairShoprData) {
  const subtotal = lineItemsOf(data, estimate).reduce(
    (sum, line) => sum + Number(line.price) * Number(line.quantity) * (1 - (line.discount_percent ?? 0) / 100),
    0,
  );
  const customer = data.customers.get(estimate.customer_id);
  const { account_id: _account, note: _note, contact_id: _contact, ...shown } = estimate;
  return {
    ...shown,
    customer_business_then_name: customer?.business_then_name ?? null,
    subtotal: decimalString(subtotal),
    total: decimalString(subtotal),
    tax: '0.0',
    pdf_url: null,
  };
}

/** Line items as submitted, validated, with price, cost and labels taken from a linked product when not given. */
function buildLineItems(raw: unknown, data: RepairShoprData, account: Account, errors: FieldErrors) {
  const submitted = Array.isArray(raw) ? raw : [];
  return submitted.map((entry, index) => {
    const fields = pickFields(entry, LINE_ITEM_FIELDS);
    const product = typeof fields.product_id === 'number' ? data.products.get(fields.product_id) : undefined;
    if (fields.product_id != null && product?.account_id !== account.id) addError(errors, 'line_items.product', 'must exist');
    const item = (fields.item as string | null | undefined) || product?.name;
    if (!item) addError(errors, 'line_items.item', "can't be blank");
    return {
      account_id: account.id,
      item: item ?? '',
      name: (fields.name as string | null | undefined) ?? product?.description ?? null,
      product_id: product?.id ?? null,
      product_category: product?.product_category ?? null,
      price: decimalString((fields.price as number | null | undefined) ?? product?.price_retail ?? 0),
      cost: decimalString((fields.cost as number | null | undefined) ?? product?.price_cost ?? 0),
      quantity: decimalString((fields.quantity as number | null | undefined) ?? 1),
      taxable: (fields.taxable as boolean | undefined) ?? product?.taxable ?? true,
      discount_percent: (fields.discount_percent as number | null | undefined) ?? null,
      discount_dollars: null,
      position: index + 1,
      invoice_id: null,
      invoice_bundle_id: null,
    };
  });
}

function isoDate(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

export function estimateRoutes(api: Router<RepairShoprData>): void {
  api.get(
    '/estimates',
    guarded(PERMISSIONS.estimatesList, (request, data, { account, user }) => {
      const status = stringParam(request.query, 'status')?.toLowerCase();
      const mine = isTruthyParam(stringParam(request.query, 'mine'));
      const matching = data.estimates.filter(
        (estimate) =>
          estimate.account_id === account.id &&
          (status === undefined || estimate.status.toLowerCase() === status) &&
          (!mine || estimate.employee === user.email),
      );
      const { items, meta } = pageOf(matching, request.query, data.pageSizes.estimates);
      return json(200, { estimates: items.map((estimate) => presentEstimate(estimate, data)), meta });
    }),
  );

  api.post(
    '/estimates',
    guarded(PERMISSIONS.estimatesCreate, (request, data, { account, user }) => {
      const fields = pickFields(request.body, ESTIMATE_FIELDS);
      const errors: FieldErrors = {};
      const date = isoDate(fields.date);
      if (fields.customer_id == null) addError(errors, 'customer_id', "can't be blank");
      if (date === undefined) addError(errors, 'date', "can't be blank");
      const customer = typeof fields.customer_id === 'number' ? data.customers.get(fields.customer_id) : undefined;
      if (fields.customer_id != null && (!customer || customer.account_id !== account.id)) addError(errors, 'customer', 'must exist');
      const status = (fields.status as string | null | undefined) ?? 'Fresh';
      if (!ESTIMATE_STATUSES.includes(status)) addError(errors, 'status', 'is not included in the list');
      const lines = buildLineItems((request.body as Record<string, unknown> | undefined)?.line_items, data, account, errors);
      // This endpoint's 422 is a bare field → messages map.
      if (Object.keys(errors).length > 0) return json(422, errors);

      const sequence = data.estimates.count((estimate) => estimate.account_id === account.id) + 1;
      const estimate = data.estimates.insert({
        account_id: account.id,
        customer_id: fields.customer_id as number,
        name: (fields.name as string | null | undefined) ?? null,
        number: (fields.number as string | null | undefined) || String(1000 + sequence),
        status,
        date,
        note: (fields.note as string | null | undefined) ?? null,
        ticket_id: (fields.ticket_id as number | null | undefined) ?? null,
        location_id: (fields.location_id as number | null | undefined) ?? null,
        contact_id: (fields.contact_id as number | null | undefined) ?? null,
        invoice_id: null,
        employee: user.email,
      });
      for (const line of lines) data.lineItems.insert({ ...line, estimate_id: estimate.id });
      return json(200, { estimate: presentEstimate(estimate, data) });
    }),
  );

  api.get(
    '/estimates/:id',
    guarded(PERMISSIONS.estimatesView, (request, data, { account }) => {
      const number = stringParam(request.query, 'number');
      const inAccount = (estimate: Estimate | undefined) => (estimate?.account_id === account.id ? estimate : undefined);
      // Falls back to the estimate number when no estimate has that id, as documented.
      const byNumber = (wanted: string) => data.estimates.where('number', wanted).find((candidate) => candidate.account_id === account.id);
      const estimate = inAccount(data.estimates.get(request.params.id)) ?? (number === undefined ? undefined : byNumber(number));
      if (!estimate) return empty(404);
      // Whether the live show embeds line items is undocumented; the sandbox does (our guess).
      const lineItems = lineItemsOf(data, estimate).map(presentLineItem);
      return json(200, { estimate: { ...presentEstimate(estimate, data), line_items: lineItems } });
    }),
  );
}
