import { intParam, json, type Router } from '@junction/sandbox-kit';
import { guarded, PERMISSIONS } from '../auth';
import type { RepairShoprData } from '../data';
import { EMAIL, pageOf, pickFields, type FieldKind } from '../fields';
import { completeContact, type Contact } from '../records';

const CONTACT_FIELDS: Record<string, FieldKind> = {
  customer_id: 'integer',
  name: 'string',
  address1: 'string',
  address2: 'string',
  city: 'string',
  state: 'string',
  zip: 'string',
  email: 'string',
  phone: 'string',
  mobile: 'string',
  notes: 'string',
};

const NOT_FOUND = { message: 'Not found' };

export function contactRoutes(api: Router<RepairShoprData>): void {
  api.get(
    '/contacts',
    guarded(PERMISSIONS.customersView, (request, data, { account }) => {
      const customerId = intParam(request.query, 'customer_id');
      const inAccount = (contact: Contact) => contact.account_id === account.id;
      // A customer's contacts through the index; without customer_id, every contact of the account.
      const matching = customerId === undefined ? data.contacts.filter(inAccount) : data.contacts.where('customer', String(customerId)).filter(inAccount);
      const { items, meta } = pageOf(matching, request.query, data.pageSizes.contacts);
      return json(200, { contacts: items, meta });
    }),
  );

  api.post(
    '/contacts',
    guarded(PERMISSIONS.customersEdit, (request, data, { account }) => {
      const fields = pickFields(request.body, CONTACT_FIELDS);
      const errors: string[] = [];
      if (fields.customer_id === undefined || fields.customer_id === null) errors.push("Customer can't be blank");
      if (typeof fields.email === 'string' && fields.email !== '' && !EMAIL.test(fields.email)) errors.push('Email is not an email');
      if (errors.length > 0) {
        // This endpoint's 422 echoes the unsaved record and joins the messages into one string.
        const unsaved = { id: null, customer_id: null, ...fields, account_id: account.id, created_at: null, updated_at: null };
        const record = completeContact(unsaved);
        return json(422, { record, errors: errors.join(',') });
      }
      const customer = data.customers.get(fields.customer_id as number);
      if (!customer || customer.account_id !== account.id) return json(404, NOT_FOUND);
      // Contacts show their account_id (unlike customers); create and show return the bare object, no wrapper.
      return json(200, data.contacts.insert({ ...fields, account_id: account.id }));
    }),
  );

  api.put(
    '/contacts/:id',
    guarded(PERMISSIONS.customersEdit, (request, data, { account }) => {
      const contact = data.contacts.get(request.params.id);
      if (!contact || contact.account_id !== account.id) return json(404, NOT_FOUND);
      // A contact stays under its customer; its other create fields may change.
      const { customer_id: _customer, ...fields } = pickFields(request.body, CONTACT_FIELDS);
      if (typeof fields.email === 'string' && fields.email !== '' && !EMAIL.test(fields.email)) {
        return json(422, { record: contact, errors: 'Email is not an email' });
      }
      return json(200, data.contacts.update(contact.id, fields));
    }),
  );

  api.get(
    '/contacts/:id',
    guarded(PERMISSIONS.customersView, (request, data, { account }) => {
      const contact = data.contacts.get(request.params.id);
      if (!contact || contact.account_id !== account.id) return json(404, NOT_FOUND);
      return json(200, contact);
    }),
  );
}
