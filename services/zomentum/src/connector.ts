import { defineConnector } from '@junction/connector-runtime';
import { ensureContact } from './commands/contact-ensure';
import { ensureClient } from './commands/customer-ensure';
import { ensureItem } from './commands/product-ensure';
import { ZomentumCredentials, ZomentumSettings } from './settings';
import { clientsStream } from './streams/clients';
import { contactsStream } from './streams/contacts';
import { productsStream } from './streams/products';
import { wonDocumentsStream } from './streams/won-documents';
import { testConnection } from './test-connection';

export const zomentum = defineConnector<ZomentumSettings, ZomentumCredentials>({
  name: 'zomentum',
  settingsSchema: ZomentumSettings,
  credentialsSchema: ZomentumCredentials,
  testConnection,
  streams: {
    clients: clientsStream,
    contacts: contactsStream,
    products: productsStream,
    // Only documents that reached WON: they become deal.won.
    documents: wonDocumentsStream,
  },
  commands: {
    'customer.ensure': ensureClient,
    'contact.ensure': ensureContact,
    'product.ensure': ensureItem,
  },
  // Contacts wait for their client.
  waitsFor: ['customer'],
});
