import { type CommandData, type CommandResult, observeCreated, updateChanged } from '@junction/connector-runtime';
import { toContact } from '../canonical';
import { filters, type ZContact, type ZomentumClient } from '../client';
import { clientFor, definedFields, mappedId, sameText, type ZCommandContext } from '../context';

type Contact = CommandData<'contact.ensure'>['contact'];

/** The same person under the same client: by e-mail, or without one by first and last name. */
async function findContact(client: ZomentumClient, clientId: string, contact: Contact): Promise<string | undefined> {
  const byEmail: Array<[string, string, string]> = contact.email ? [['email', 'eq', contact.email]] : [];
  const { items } = await client.contacts(1, filters(['client_company_id', 'eq', clientId], ...byEmail));
  const match = items.find((row) =>
    contact.email
      ? sameText(row.email, contact.email)
      : sameText(row.name.first, contact.firstName) && (row.name.last ?? '') === (contact.lastName ?? ''),
  );
  return match?.id;
}

export async function ensureContact(ctx: ZCommandContext, data: CommandData<'contact.ensure'>): Promise<CommandResult> {
  const client = clientFor(ctx);
  const clientId = await mappedId(ctx, 'customer', data.customerSourceKey);
  const { contact } = data;
  // The contact's fields as Zomentum names them; `null` where the source has no value.
  const fields = {
    // Zomentum requires a first name; an update sends first and last together.
    name: { first: contact.firstName ?? contact.email ?? contact.sourceId, last: contact.lastName ?? null },
    email: contact.email ?? null,
    phone: contact.phone ?? contact.mobile ?? null,
  };
  let created: ZContact | undefined;
  const ensured = await ctx.idMap.ensure('contact', data.sourceKey, {
    lookupExisting: () => findContact(client, clientId, contact),
    create: async () => {
      created = await client.createContact({
        client_company_id: clientId,
        name: { first: fields.name.first, ...definedFields({ last: fields.name.last }) },
        contact_type: 'secondary_contact',
        ...definedFields({ email: fields.email, phone: fields.phone }),
      });
      return created.id;
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
