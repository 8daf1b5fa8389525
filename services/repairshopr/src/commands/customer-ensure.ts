import { type CommandData, type CommandResult, observeCreated, updateChanged } from '@junction/connector-runtime';
import type { RepairShoprClient, RsCustomer } from '../client';
import { toCustomer } from '../streams/customers';
import { definedFields } from '../values';
import { clientFor, sameText, type RsCommandContext } from './context';

type Customer = CommandData<'customer.ensure'>['customer'];

/**
 * By the strongest natural key the customer has, and by that one alone: e-mail, else business name, else full name.
 * RepairShopr keeps e-mails unique per shop, so with an e-mail one search finds both a customer an earlier attempt
 * created (with this e-mail) and any customer the create would collide with; a customer of the same name under
 * another e-mail is another customer to RepairShopr, and searching for it too cost a second call per new customer.
 */
async function findCustomer(client: RepairShoprClient, customer: Customer): Promise<string | undefined> {
  if (customer.email) {
    const { items } = await client.customers(1, { email: customer.email });
    return items[0] && String(items[0].id);
  }
  if (customer.businessName) {
    const { items } = await client.customers(1, { business_name: customer.businessName });
    const match = items.find((row) => sameText(row.business_name, customer.businessName));
    return match && String(match.id);
  }
  if (customer.firstName || customer.lastName) {
    const query = definedFields({ firstname: customer.firstName, lastname: customer.lastName });
    const { items } = await client.customers(1, query);
    const match = items.find(
      (row) => !row.business_name && sameText(row.firstname ?? '-', customer.firstName ?? '-') && sameText(row.lastname ?? '-', customer.lastName ?? '-'),
    );
    return match && String(match.id);
  }
  return undefined;
}

/** The customer's fields as RepairShopr names them; `null` where the source has no value. */
function customerFields(customer: Customer) {
  const { address } = customer;
  return {
    business_name: customer.businessName ?? null,
    firstname: customer.firstName ?? null,
    lastname: customer.lastName ?? null,
    email: customer.email ?? null,
    phone: customer.phone ?? null,
    address: address?.line1 ?? null,
    address_2: address?.line2 ?? null,
    city: address?.city ?? null,
    state: address?.region ?? null,
    zip: address?.postalCode ?? null,
  };
}

export async function ensureCustomer(ctx: RsCommandContext, data: CommandData<'customer.ensure'>): Promise<CommandResult> {
  const client = clientFor(ctx);
  const fields = customerFields(data.customer);
  let created: RsCustomer | undefined;
  const ensured = await ctx.idMap.ensure('customer', data.sourceKey, {
    lookupExisting: () => findCustomer(client, data.customer),
    create: async () => {
      created = await client.createCustomer(definedFields(fields));
      return String(created.id);
    },
  });
  if (created) {
    await observeCreated(ctx, 'customer', ensured.externalId, toCustomer(created), fields);
  } else if (data.updateExisting) {
    const outcome = await updateChanged(ctx, 'customer', ensured.externalId, fields, async (changes) =>
      toCustomer(await client.updateCustomer(ensured.externalId, changes)),
    );
    if (outcome === 'updated') return { entityType: 'customer', externalId: ensured.externalId, outcome };
  }
  return { entityType: 'customer', ...ensured };
}
