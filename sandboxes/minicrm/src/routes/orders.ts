import { json, stringParam, type Router } from '@junction/sandbox-kit';
import { guarded } from '../auth';
import type { MiniCrmData } from '../data';
import type { Order, OrderItem, OrderStatus, Project, System } from '../records';
import { badRequest, methodNotAllowed, notFound, pageParam, results } from '../replies';
import { categoryOfType } from '../schema';
import { minicrmTime, UPDATED_SINCE } from '../time';
import { contactOf } from './contacts';
import { projectFields, projectOf } from './projects';

/** Status actions (POST, no body) and the statuses each may start from; anything else answers 405. */
const TRANSITIONS: Record<string, { from: OrderStatus[]; to: OrderStatus }> = {
  Finalize: { from: ['Draft'], to: 'In progress' },
  Edit: { from: ['In progress'], to: 'Draft' },
  Complete: { from: ['In progress'], to: 'Completed' },
  Paid: { from: ['Completed', 'Failed'], to: 'Paid' },
  Storno: { from: ['In progress', 'Completed', 'Paid'], to: 'Failed' },
};

const STATUS_GROUP: Record<OrderStatus, string> = { Draft: 'Open', 'In progress': 'Open', Completed: 'Success', Paid: 'Success', Failed: 'Failed' };

const money = (value: number, places: number) => value.toFixed(places);

function amounts(items: OrderItem[]) {
  const net = items.reduce((sum, item) => sum + item.PriceNet * item.Quantity, 0);
  const vat = items.reduce((sum, item) => sum + (item.PriceNet * item.Quantity * item.VAT) / 100, 0);
  return { AmountNet: money(net, 4), AmountVat: money(vat, 4), Amount: money(net + vat, 4) };
}

function presentOrder(order: Order, data: MiniCrmData) {
  const card = data.projects.get(order.ProjectId);
  const { SystemId: _system, Items, Customer, CreatedAt: _created, UpdatedAt: _updated, ...shown } = order;
  return {
    ...shown,
    Id: String(order.Id),
    ProjectId: String(order.ProjectId),
    CustomerId: String(order.CustomerId),
    InvoiceMode: 'Normal',
    Customer: {
      ...Customer,
      CountryId: Customer.Country,
      County: '',
      AccountNumber: '',
      EUVatNumber: '',
      RegistrationNumber: '',
      GroupIdentificationNumber: '',
    },
    VendorGroupIdentificationNumber: '',
    ...amounts(Items),
    Accounting: 'Normal',
    OSS: '0',
    Items: Items.map((item) => ({
      Id: String(item.Id),
      SKU: item.SKU,
      EAN: '',
      Name: item.Name,
      Description: item.Description,
      PriceNet: money(item.PriceNet, 6),
      Quantity: money(item.Quantity, 4),
      Unit: item.Unit,
      PriceNetTotal: money(item.PriceNet * item.Quantity, 4),
      VAT: `${item.VAT}%`,
      VATSubtype: '',
      PriceTotal: money(item.PriceNet * item.Quantity * (1 + item.VAT / 100), 2),
    })),
    Project: card ? cardFields(card, data) : {},
  };
}

/** The order card's name, status label and custom fields (coupon codes), as `Project` of an order. */
function cardFields(card: Project, data: MiniCrmData) {
  const custom = Object.fromEntries(Object.entries(card).filter(([name]) => /^[A-Z][a-zA-Z]*\d+$/.test(name)));
  return { Name: card.Name, StatusId: data.statuses.get(card.StatusId)?.Name ?? '', ...custom };
}

/** Amounts arrive as numbers or decimal strings; anything else is NaN. */
function asNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  return typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
}

/** Items of a create/update body; a negative PriceNet is a discount line (how coupons arrive). */
function parseItems(raw: unknown, data: MiniCrmData, existing: OrderItem[]): OrderItem[] | string {
  if (!Array.isArray(raw)) return 'Order: Items must be a list.';
  const items = [...existing];
  for (const entry of raw as Array<Record<string, unknown>>) {
    const price = asNumber(entry.PriceNet);
    const quantity = asNumber(entry.Quantity ?? 1);
    const vat = asNumber(String(entry.VAT ?? '27').replace('%', ''));
    if (typeof entry.Name !== 'string' || entry.Name === '') return 'Order: Name is required for every item.';
    if (Number.isNaN(price)) return `Order: Invalid value '${String(entry.PriceNet)}' for the PriceNet field.`;
    if (!(quantity > 0)) return `Order: Invalid value '${String(entry.Quantity)}' for the Quantity field.`;
    if (Number.isNaN(vat)) return `Order: Invalid value '${String(entry.VAT)}' for the VAT field.`;
    const index = entry.Id === undefined ? -1 : items.findIndex((item) => String(item.Id) === String(entry.Id));
    if (entry.Id !== undefined && index < 0) return `Order: Invalid value '${String(entry.Id)}' for the Items.Id field.`;
    const item: OrderItem = {
      Id: index >= 0 ? items[index].Id : ++data.orderItemSequence,
      SKU: String(entry.SKU ?? ''),
      Name: entry.Name,
      Description: String(entry.Description ?? ''),
      PriceNet: price,
      Quantity: quantity,
      Unit: String(entry.Unit ?? 'db'),
      VAT: vat,
    };
    if (index >= 0) items[index] = item;
    else items.push(item);
  }
  return items;
}

/** The fields of a create or a (Draft-only) update; both must name the customer. */
function orderFields(body: unknown, data: MiniCrmData, system: System, current?: Order): Partial<Order> | string {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'Order: The request body must be a JSON object.';
  const given = body as Record<string, unknown>;
  const customer = contactOf(data, system, given.CustomerId);
  if (!customer) return `Order: Invalid value '${String(given.CustomerId ?? '')}' for the CustomerId field.`;
  const items = given.Items === undefined ? (current?.Items ?? []) : parseItems(given.Items, data, current?.Items ?? []);
  if (typeof items === 'string') return items;
  const address = (given.Customer ?? {}) as Record<string, unknown>;
  const text = (value: unknown, fallback: string) => (value === undefined ? fallback : String(value));
  return {
    CustomerId: customer.Id,
    ReferenceId: text(given.ReferenceId, current?.ReferenceId ?? ''),
    Number: text(given.Number, current?.Number ?? ''),
    CurrencyCode: text(given.CurrencyCode, current?.CurrencyCode ?? 'HUF'),
    Subject: text(given.Subject, current?.Subject ?? ''),
    PaymentMethod: text(given.PaymentMethod, current?.PaymentMethod ?? 'Cash'),
    Performance: text(given.Performance, current?.Performance ?? minicrmTime(data.store.clock.now()).slice(0, 10)),
    Customer: {
      Name: text(address.Name, current?.Customer.Name ?? customer.Name),
      Country: text(address.Country, current?.Customer.Country ?? 'Magyarország'),
      PostalCode: text(address.PostalCode, current?.Customer.PostalCode ?? ''),
      City: text(address.City, current?.Customer.City ?? ''),
      Address: text(address.Address, current?.Customer.Address ?? ''),
      VatNumber: text(address.VatNumber, current?.Customer.VatNumber ?? ''),
    },
    Items: items,
  };
}

function orderOf(data: MiniCrmData, system: System, id: string): Order | undefined {
  const order = data.orders.get(id);
  return order?.SystemId === system.Id ? order : undefined;
}

/** The Order module API (`/Api/Order`, outside R3): creating an order also creates its card in the Order category. */
export function orderRoutes(routes: Router<MiniCrmData>): void {
  routes.post(
    '/Api/Order',
    guarded((request, data, system) => {
      const category = categoryOfType(data, system, 'Order');
      if (!category) return badRequest('Order: The Order module is not enabled in this system.');
      const fields = orderFields(request.body, data, system);
      if (typeof fields === 'string') return badRequest(fields);
      const cardBody = { ...((request.body as { Project?: object }).Project ?? {}), CategoryId: category.Id, ContactId: fields.CustomerId };
      const cardName = fields.Subject || `Megrendelés ${fields.Number}`.trim();
      const card = projectFields({ Name: cardName, ReferenceId: fields.ReferenceId, ...cardBody }, data, system);
      if (typeof card === 'string') return badRequest(card.replace('Project (PUT)', 'Order'));
      const project = data.projects.insert({ ...card, SystemId: system.Id });
      const order = data.orders.insert({ ...fields, SystemId: system.Id, ProjectId: project.Id, Status: 'Draft', Issued: '' });
      return json(200, presentOrder(order, data));
    }),
  );

  routes.get(
    '/Api/Order/List',
    guarded((request, data, system) => {
      const page = pageParam(stringParam(request.query, 'Page'));
      if (typeof page !== 'number') return page;
      const since = stringParam(request.query, 'UpdatedSince');
      if (since !== undefined && !UPDATED_SINCE.test(since)) return badRequest(`Invalid value '${since}' for the UpdatedSince parameter.`);
      const group = stringParam(request.query, 'StatusGroup');
      const issued = data.orders
        .filter(
          (order) =>
            order.SystemId === system.Id &&
            order.Status !== 'Draft' &&
            (since === undefined || order.UpdatedAt >= since) &&
            (group === undefined || STATUS_GROUP[order.Status] === group),
        )
        .sort((a, b) => (a.UpdatedAt === b.UpdatedAt ? b.Id - a.Id : a.UpdatedAt < b.UpdatedAt ? 1 : -1));
      return results(issued, page, (order) => order.Id, (order) => ({
        Id: String(order.Id),
        ProjectId: String(order.ProjectId),
        StornedId: '',
        Number: order.Number,
        Type: 'Order',
        Issued: order.Issued,
        Performance: order.Performance,
        Prompt: '',
        Paid: order.Status === 'Paid' ? order.UpdatedAt.slice(0, 10) : '',
        CurrencyCode: order.CurrencyCode,
        ...amounts(order.Items),
        Status: order.Status,
        StatusGroup: STATUS_GROUP[order.Status],
        DocumentUrl: '',
      }));
    }),
  );

  routes.get(
    '/Api/Order/:id',
    guarded((request, data, system) => {
      const order = orderOf(data, system, request.params.id);
      return order ? json(200, presentOrder(order, data)) : notFound();
    }),
  );

  routes.post(
    '/Api/Order/:id',
    guarded((request, data, system) => {
      const order = orderOf(data, system, request.params.id);
      if (!order) return notFound();
      if (order.Status !== 'Draft') return methodNotAllowed(`Order: Only a Draft order can be changed; this one is ${order.Status}.`);
      const fields = orderFields(request.body, data, system, order);
      if (typeof fields === 'string') return badRequest(fields);
      return json(200, presentOrder(data.orders.update(order.Id, fields) ?? order, data));
    }),
  );

  routes.post(
    '/Api/Order/:id/Project',
    guarded((request, data, system) => {
      const order = orderOf(data, system, request.params.id);
      const card = order && projectOf(data, system, order.ProjectId);
      if (!order || !card) return notFound();
      const fields = projectFields(request.body, data, system, card);
      if (typeof fields === 'string') return badRequest(fields.replace('Project (PUT)', 'Order'));
      data.projects.update(card.Id, fields);
      return json(200, { Id: order.Id });
    }),
  );

  routes.post(
    '/Api/Order/:id/:action',
    guarded((request, data, system) => {
      const order = orderOf(data, system, request.params.id);
      if (!order) return notFound();
      const transition = TRANSITIONS[request.params.action];
      if (!transition) return notFound();
      if (!transition.from.includes(order.Status)) {
        return methodNotAllowed(`Order: ${request.params.action} is not allowed for an order in status ${order.Status}.`);
      }
      const issued = transition.to === 'In progress' && !order.Issued ? { Issued: minicrmTime(data.store.clock.now()).slice(0, 10) } : {};
      return json(200, presentOrder(data.orders.update(order.Id, { Status: transition.to, ...issued }) ?? order, data));
    }),
  );

  routes.get(
    '/Api/Order/:id/DeleteItem/:itemId',
    guarded((request, data, system) => {
      const order = orderOf(data, system, request.params.id);
      if (!order || !order.Items.some((item) => String(item.Id) === request.params.itemId)) return notFound();
      if (order.Status !== 'Draft') return methodNotAllowed(`Order: Only a Draft order can be changed; this one is ${order.Status}.`);
      const items = order.Items.filter((item) => String(item.Id) !== request.params.itemId);
      return json(200, presentOrder(data.orders.update(order.Id, { Items: items }) ?? order, data));
    }),
  );
}
