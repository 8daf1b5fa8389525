import { type CommandData, type CommandResult, observeCreated, updateChanged } from '@junction/connector-runtime';
import type { RepairShoprClient, RsContact } from '../client';
import { toContact } from '../streams/contacts';
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
  // The contact's fields as RepairShopr names them; `null` where the source has no value.
  const fields = { name: fullName(contact), email: contact.email ?? null, phone: contact.phone ?? null, mobile: contact.mobile ?? null };
  let created: RsContact | undefined;
  const ensured = await ctx.idMap.ensure('contact', data.sourceKey, {
    lookupExisting: () => findContact(client, customerId, contact),
    create: async () => {
      created = await client.createContact({ customer_id: customerId, ...definedFields(fields), name: fields.name });
      return String(created.id);
    },
  });
  if (created) {
    await observeCreated(ctx, 'contact', ensured.externalId, toContact(created), fields);
  } else if (data.updateExisting) {
    const outcome = await updateChanged(ctx, 'contact', ensured.externalId, fields, async (changes) =>
      toContact(await client.updateContact(ensured.externalId, changes)),
    );
    if (outcome === 'updated') return { entityType: 'contact', externalId: ensured.externalId, outcome };
  }
  return { entityType: 'contact', ...ensured };
}
