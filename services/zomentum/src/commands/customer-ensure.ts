import type { CommandData, CommandResult } from '@junction/connector-runtime';
import { filters, type ZomentumClient } from '../client';
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

export async function ensureClient(ctx: ZCommandContext, data: CommandData<'customer.ensure'>): Promise<CommandResult> {
  const client = clientFor(ctx);
  const { customer } = data;
  const ensured = await ctx.idMap.ensure('customer', data.sourceKey, {
    lookupExisting: () => findClient(client, customer),
    create: async () => {
      const address = definedFields({
        address_line_1: customer.address?.line1,
        address_line_2: customer.address?.line2,
        city: customer.address?.city,
        state: customer.address?.region,
        zip_code: customer.address?.postalCode,
        country: customer.address?.country,
      });
      const created = await client.createClient({
        name: clientName(customer),
        company_type: 'customer',
        ...definedFields({ email: customer.email, phone: customer.phone }),
        ...(Object.keys(address).length > 0 ? { billing_address: address } : {}),
      });
      return created.id;
    },
  });
  return { entityType: 'customer', ...ensured };
}
