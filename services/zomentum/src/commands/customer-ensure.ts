import { type CommandData, type CommandResult, observeCreated, updateChanged } from '@junction/connector-runtime';
import { toCustomer } from '../canonical';
import { filters, type ZClient, type ZomentumClient } from '../client';
import { clientFor, definedFields, sameText, type ZCommandContext } from '../context';

type Customer = CommandData<'customer.ensure'>['customer'];

/** Zomentum clients are companies: a person without a business becomes a client named after them. */
function clientName(customer: Customer): string {
  return customer.businessName ?? [customer.firstName, customer.lastName].filter(Boolean).join(' ');
}

/** By e-mail when there is one, else by exact name. */
async function findClient(client: ZomentumClient, customer: Customer): Promise<string | undefined> {
  const name = clientName(customer);
  const filter = customer.email ? filters(['email', 'eq', customer.email]) : filters(['name', 'contains', name]);
  const { items } = await client.clients(1, filter);
  const match = items.find((row) => (customer.email ? sameText(row.email, customer.email) : sameText(row.name, name)));
  return match?.id;
}

/** The client's fields as Zomentum names them; `null` where the source has no value. */
function clientFields(customer: Customer) {
  const { address } = customer;
  return {
    name: clientName(customer),
    email: customer.email ?? null,
    phone: customer.phone ?? null,
    // An update replaces the whole address, so it is one field.
    billing_address: {
      address_line_1: address?.line1 ?? null,
      address_line_2: address?.line2 ?? null,
      city: address?.city ?? null,
      state: address?.region ?? null,
      zip_code: address?.postalCode ?? null,
      country: address?.country ?? null,
    },
  };
}

export async function ensureClient(ctx: ZCommandContext, data: CommandData<'customer.ensure'>): Promise<CommandResult> {
  const client = clientFor(ctx);
  const { customer } = data;
  const fields = clientFields(customer);
  let created: ZClient | undefined;
  const ensured = await ctx.idMap.ensure('customer', data.sourceKey, {
    lookupExisting: () => findClient(client, customer),
    create: async () => {
      const address = definedFields(fields.billing_address);
      created = await client.createClient({
        name: fields.name,
        company_type: 'customer',
        ...definedFields({ email: fields.email, phone: fields.phone }),
        ...(Object.keys(address).length > 0 ? { billing_address: address } : {}),
      });
      return created.id;
    },
  });
  if (created) {
    await observeCreated(ctx, 'customer', ensured.externalId, toCustomer(created), fields);
  } else if (data.updateExisting) {
    const outcome = await updateChanged(ctx, 'customer', ensured.externalId, fields, async (changes) =>
      toCustomer(await client.updateClient(ensured.externalId, changes)),
    );
    if (outcome === 'updated') return { entityType: 'customer', externalId: ensured.externalId, outcome };
  }
  return { entityType: 'customer', ...ensured };
}
