import type { CommandData, CommandResult } from '@junction/connector-runtime';
import type { CustomerInput, RepairShoprClient } from '../client';
import { definedFields } from '../values';
import { clientFor, sameText, type RsCommandContext } from './context';

type Customer = CommandData<'customer.ensure'>['customer'];

/** Natural keys, strongest first: RepairShopr keeps e-mails unique per shop; then business name; then full name. */
async function findCustomer(client: RepairShoprClient, customer: Customer): Promise<string | undefined> {
  if (customer.email) {
    const { items } = await client.customers(1, { email: customer.email });
    if (items[0]) return String(items[0].id);
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

function toCustomerInput(customer: Customer): CustomerInput {
  const { address } = customer;
  return definedFields({
    business_name: customer.businessName,
    firstname: customer.firstName,
    lastname: customer.lastName,
    email: customer.email,
    phone: customer.phone,
    address: address?.line1,
    address_2: address?.line2,
    city: address?.city,
    state: address?.region,
    zip: address?.postalCode,
  });
}

export async function ensureCustomer(ctx: RsCommandContext, data: CommandData<'customer.ensure'>): Promise<CommandResult> {
  const client = clientFor(ctx);
  const ensured = await ctx.idMap.ensure('customer', data.sourceKey, {
    lookupExisting: () => findCustomer(client, data.customer),
    create: async () => String((await client.createCustomer(toCustomerInput(data.customer))).id),
  });
  return { entityType: 'customer', ...ensured };
}
