import { empty, json, listParam, stringParam, type Router } from '@junction/sandbox-kit';
import { guarded, PERMISSIONS } from '../auth';
import type { RepairShoprData } from '../data';
import { contains, EMAIL, isTruthyParam, pageOf, pickFields, sortBy, type FieldKind } from '../fields';
import { profileUrl, type Account, type Customer } from '../records';

const CUSTOMER_FIELDS: Record<string, FieldKind> = {
  business_name: 'string',
  firstname: 'string',
  lastname: 'string',
  email: 'string',
  phone: 'string',
  mobile: 'string',
  address: 'string',
  address_2: 'string',
  city: 'string',
  state: 'string',
  zip: 'string',
  notes: 'string',
  get_sms: 'boolean',
  opt_out: 'boolean',
  no_email: 'boolean',
  ref_customer_id: 'integer',
  referred_by: 'string',
  tax_rate_id: 'integer',
  notification_email: 'string',
  invoice_cc_emails: 'string',
  invoice_term_id: 'integer',
  properties: 'object',
};

/** Customer JSON as the API shows it: without the account scope, with the customer's contacts embedded. */
export function presentCustomer(customer: Customer, data: RepairShoprData) {
  const { account_id: _account, ...shown } = customer;
  const contacts = data.contacts.filter((contact) => contact.customer_id === customer.id);
  return { ...shown, contacts };
}

/** Rails validation messages; RepairShopr treats a customer's email as unique within the account. */
function customerErrors(fields: Record<string, unknown>, data: RepairShoprData, account: Account, selfId?: number): string[] {
  const email = fields.email;
  if (typeof email !== 'string' || email === '') return [];
  if (!EMAIL.test(email)) return ['Email is not an email'];
  const taken = data.customers.where('email', email.toLowerCase()).find((customer) => customer.account_id === account.id && customer.id !== selfId);
  return taken ? ['Email has already been taken'] : [];
}

export function customerRoutes(api: Router<RepairShoprData>): void {
  api.get(
    '/customers',
    guarded(PERMISSIONS.customersList, (request, data, { account }) => {
      const query = request.query;
      const ids = listParam(query, 'id');
      const notIds = listParam(query, 'not_id');
      const text = stringParam(query, 'query');
      const searchable = (customer: Customer) =>
        [customer.fullname, customer.business_name, customer.email, customer.phone, customer.mobile];
      const filters = (['firstname', 'lastname', 'business_name'] as const)
        .map((field) => [field, stringParam(query, field)] as const)
        .filter((filter): filter is readonly [typeof filter[0], string] => filter[1] !== undefined);
      const email = stringParam(query, 'email');
      const includeDisabled = isTruthyParam(stringParam(query, 'include_disabled'));
      // `since_updated_at` is accepted and ignored, as observed on the live API: sort by updated_at instead.
      const wanted = (customer: Customer) =>
        customer.account_id === account.id &&
        (includeDisabled || !customer.disabled) &&
        (ids.length === 0 || ids.includes(String(customer.id))) &&
        !notIds.includes(String(customer.id)) &&
        filters.every(([field, value]) => contains(customer[field], value)) &&
        (email === undefined || customer.email?.toLowerCase() === email.toLowerCase()) &&
        (text === undefined || searchable(customer).some((value) => contains(value, text)));
      // A look-up by e-mail through the index; any other search reads every customer.
      const matching = email !== undefined ? data.customers.where('email', email.toLowerCase()).filter(wanted) : data.customers.filter(wanted);
      const { items, meta } = pageOf(sortBy(matching, stringParam(query, 'sort')), query, data.pageSizes.customers);
      return json(200, { customers: items.map((customer) => presentCustomer(customer, data)), meta });
    }),
  );

  api.post(
    '/customers',
    guarded(PERMISSIONS.customersCreate, (request, data, { account }) => {
      const fields = pickFields(request.body, CUSTOMER_FIELDS);
      const errors = customerErrors(fields, data, account);
      if (errors.length > 0) return json(422, { success: false, message: errors, params: request.body ?? {} });
      const customer = data.customers.insert({
        ...fields,
        account_id: account.id,
        online_profile_url: profileUrl(account, data.customers.size + 1),
      });
      return json(200, { customer: presentCustomer(customer, data) });
    }),
  );

  api.get(
    '/customers/:id',
    guarded(PERMISSIONS.customersView, (request, data, { account }) => {
      const customer = data.customers.get(request.params.id);
      if (!customer || customer.account_id !== account.id) return empty(404);
      return json(200, { customer: presentCustomer(customer, data) });
    }),
  );

  api.put(
    '/customers/:id',
    guarded(PERMISSIONS.customersEdit, (request, data, { account }) => {
      const customer = data.customers.get(request.params.id);
      if (!customer || customer.account_id !== account.id) return empty(404);
      const fields = pickFields(request.body, CUSTOMER_FIELDS);
      const errors = customerErrors(fields, data, account, customer.id);
      if (errors.length > 0) return json(422, { success: false, message: errors });
      return json(200, { customer: presentCustomer(data.customers.update(customer.id, fields)!, data) });
    }),
  );
}
