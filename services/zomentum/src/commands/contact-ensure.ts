import type { CommandData, CommandResult } from '@junction/connector-runtime';
import { filters, type ZomentumClient } from '../client';
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
  const ensured = await ctx.idMap.ensure('contact', data.sourceKey, {
    lookupExisting: () => findContact(client, clientId, contact),
    create: async () => {
      const created = await client.createContact({
        client_company_id: clientId,
        // Zomentum requires a first name.
        name: { first: contact.firstName ?? contact.email ?? contact.sourceId, ...definedFields({ last: contact.lastName }) },
        contact_type: 'secondary_contact',
        ...definedFields({ email: contact.email, phone: contact.phone ?? contact.mobile }),
      });
      return created.id;
    },
  });
  return { entityType: 'contact', ...ensured };
}
