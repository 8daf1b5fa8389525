import type { CommandData, CommandResult } from '@junction/connector-runtime';
import type { RepairShoprClient, RsContact } from '../client';
import { definedFields } from '../values';
import { clientFor, mappedId, sameText, type RsCommandContext } from './context';

type Contact = CommandData<'contact.ensure'>['contact'];

function fullName(contact: Contact): string {
  return [contact.firstName, contact.lastName].filter(Boolean).join(' ') || contact.email || contact.sourceId;
}

/** A contact is the same when it sits under the same customer with the same e-mail, or (without one) the same name. */
async function findContact(client: RepairShoprClient, customerId: number, contact: Contact): Promise<string | undefined> {
  const matches = (row: RsContact) =>
    contact.email ? sameText(row.email, contact.email) : sameText(row.name, fullName(contact));
  for (let page = 1; ; page++) {
    const { items, meta } = await client.contacts(page, { customer_id: customerId });
    const match = items.find(matches);
    if (match) return String(match.id);
    if (page >= meta.total_pages) return undefined;
  }
}

export async function ensureContact(ctx: RsCommandContext, data: CommandData<'contact.ensure'>): Promise<CommandResult> {
  const client = clientFor(ctx);
  const customerId = await mappedId(ctx, 'customer', data.customerSourceKey);
  const { contact } = data;
  const ensured = await ctx.idMap.ensure('contact', data.sourceKey, {
    lookupExisting: () => findContact(client, customerId, contact),
    create: async () => {
      const phones = definedFields({ email: contact.email, phone: contact.phone, mobile: contact.mobile });
      return String((await client.createContact({ customer_id: customerId, name: fullName(contact), ...phones })).id);
    },
  });
  return { entityType: 'contact', ...ensured };
}
