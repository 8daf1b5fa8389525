import { defineConnector } from '@junction/connector-runtime';
import { createEstimate } from './commands/estimate-create';
import { ensureContact } from './commands/contact-ensure';
import { ensureCustomer } from './commands/customer-ensure';
import { ensureProduct } from './commands/product-ensure';
import { RepairShoprCredentials, RepairShoprSettings } from './settings';
import { contactsStream } from './streams/contacts';
import { customersStream } from './streams/customers';
import { productsStream } from './streams/products';
import { testConnection } from './test-connection';

export const repairshopr = defineConnector<RepairShoprSettings, RepairShoprCredentials>({
  name: 'repairshopr',
  settingsSchema: RepairShoprSettings,
  credentialsSchema: RepairShoprCredentials,
  testConnection,
  streams: {
    customers: customersStream,
    contacts: contactsStream,
    products: productsStream,
  },
  commands: {
    'customer.ensure': ensureCustomer,
    'contact.ensure': ensureContact,
    'product.ensure': ensureProduct,
    'estimate.create': createEstimate,
  },
  // Contacts and estimates wait for their customer, estimates for their products.
  waitsFor: ['customer', 'product'],
});
