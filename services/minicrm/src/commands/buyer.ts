import type { OrderCustomer } from '@junction/contracts';
import { VendorValidationError } from '@junction/vendor-http';
import type { MContactRow, MiniCrmClient } from '../client';
import type { MCommandContext } from '../context';
import { forgetProducts } from '../products';
import type { IntegrationProducts } from '../setup';
import { buyerKey, personBody, webshopSheetBody } from '../translate';

function sameText(a: string | undefined, b: string | undefined): boolean {
  return Boolean(a && b && a.trim().toLowerCase() === b.trim().toLowerCase());
}

/** People first (a company's e-mail may sit on its Business contact), then the oldest. */
function best(rows: MContactRow[]): string | undefined {
  const ordered = [...rows].sort((a, b) => Number(a.Id) - Number(b.Id));
  return (ordered.find((row) => row.Type === 'Person') ?? ordered[0])?.Id;
}

/** By e-mail (MiniCRM's contact search); without one, a person with the same phone whose name has both names. */
async function findPerson(client: MiniCrmClient, customer: OrderCustomer): Promise<string | undefined> {
  if (customer.email) return best((await client.contacts({ Email: customer.email })).filter((row) => sameText(row.Email, customer.email)));
  if (!customer.phone || !(customer.firstName || customer.lastName)) return undefined;
  const names = [customer.firstName, customer.lastName].filter((name): name is string => Boolean(name)).map((name) => name.toLowerCase());
  const rows = await client.contacts({ Phone: customer.phone, Type: 'Person' });
  return best(rows.filter((row) => names.every((name) => row.Name.toLowerCase().includes(name))));
}

/**
 * The buyer's contact and data sheet in the Webshop product, each created once per buyer (keyed by buyerKey, so a
 * returning buyer's orders share them). The data sheet is looked up in the Webshop product only: an order is never
 * attached to the buyer's data sheets in other products. Resolves with the contact id.
 */
export async function ensureBuyer(
  ctx: MCommandContext,
  client: MiniCrmClient,
  products: () => Promise<IntegrationProducts>,
  customer: OrderCustomer,
  orderKey: string,
): Promise<string> {
  // Without e-mail, name or phone there is no natural key: such a buyer gets a contact of its own per order.
  const key = buyerKey(customer) ?? `buyer:order:${orderKey}`;
  const createSheet = async (contactId: string) => {
    const { webshop } = await products();
    return client.createProject(webshopSheetBody(webshop.Id, contactId, customer)).catch((error: unknown) => {
      // The Webshop product may have been removed since the products were read.
      if (error instanceof VendorValidationError) forgetProducts(ctx);
      throw error;
    });
  };
  let newContactSheet: string | undefined;
  const contact = await ctx.idMap.ensure('contact', key, {
    lookupExisting: () => findPerson(client, customer),
    create: async () => {
      await products(); // a system that is not set up for orders gets no contact either
      const contactId = await client.createPerson(personBody(customer));
      // Until the contact is recorded only this command knows its id, so no data sheet can name it yet: its sheet is
      // written now, without a lookup. If that fails, the contact is still recorded and the sheet ensured below.
      newContactSheet = await createSheet(contactId).catch(() => undefined);
      return contactId;
    },
  });
  if (newContactSheet !== undefined) {
    await ctx.idMap.record({ entityType: 'webshop_sheet', sourceKey: key, externalId: newContactSheet });
    return contact.externalId;
  }
  await ctx.idMap.ensure('webshop_sheet', key, {
    lookupExisting: async () => {
      const { webshop } = await products();
      return (await client.projectIds({ CategoryId: webshop.Id, MainContactId: contact.externalId }))[0];
    },
    create: () => createSheet(contact.externalId),
  });
  return contact.externalId;
}
