import { json, type Router } from '@junction/sandbox-kit';
import { guarded } from '../auth';
import type { ZomentumData } from '../data';
import { notFound, validationError, type FieldError } from '../errors';
import { listReply } from '../listing';
import { EMAIL, isObject, optionalString, shown } from '../present';

const ADDRESS_FIELDS = ['address_line_1', 'address_line_2', 'city', 'state', 'zip_code', 'country'];

/** The writable fields of a client; `name` is required on create. */
function clientFields(body: unknown, creating: boolean): { fields: Record<string, unknown>; errors: FieldError[] } {
  const source = isObject(body) ? body : {};
  const errors: FieldError[] = [];
  const fields: Record<string, unknown> = {};
  if ('name' in source || creating) {
    if (typeof source.name !== 'string' || source.name.trim() === '') errors.push({ field: 'name', message: 'name is required' });
    else fields.name = source.name.trim();
  }
  for (const key of ['company_type', 'phone', 'website']) if (key in source) fields[key] = optionalString(source[key]);
  if ('email' in source) {
    fields.email = optionalString(source.email);
    if (fields.email !== null && !EMAIL.test(String(fields.email))) {
      errors.push({ field: 'email', message: 'email must be a valid email' });
    }
  }
  if ('billing_address' in source) {
    const address = source.billing_address;
    if (!isObject(address)) {
      errors.push({ field: 'billing_address', message: 'billing_address must be an object' });
    } else {
      const given = ADDRESS_FIELDS.filter((key) => key in address);
      fields.billing_address = Object.fromEntries(given.map((key) => [key, optionalString(address[key])]));
    }
  }
  return { fields, errors };
}

export function clientRoutes(api: Router<ZomentumData>): void {
  api.get(
    '/client/companies',
    guarded((request, data, { account }) =>
      listReply(request, data.clientCompanies.filter((client) => client.account_id === account.id), shown),
    ),
  );

  api.post(
    '/client/companies',
    guarded((request, data, { account }) => {
      const { fields, errors } = clientFields(request.body, true);
      if (errors.length > 0) return validationError(errors);
      return json(201, shown(data.clientCompanies.insert({ ...fields, account_id: account.id })));
    }),
  );

  api.get(
    '/client/companies/:id',
    guarded((request, data, { account }) => {
      const client = data.clientCompanies.get(request.params.id);
      return client?.account_id === account.id ? json(200, shown(client)) : notFound('Client company');
    }),
  );

  api.put(
    '/client/companies/:id',
    guarded((request, data, { account }) => {
      const client = data.clientCompanies.get(request.params.id);
      if (client?.account_id !== account.id) return notFound('Client company');
      const { fields, errors } = clientFields(request.body, false);
      if (errors.length > 0) return validationError(errors);
      // A partial address changes only the lines given.
      if (fields.billing_address) fields.billing_address = { ...client.billing_address, ...(fields.billing_address as object) };
      return json(200, shown(data.clientCompanies.update(client.id, fields)!));
    }),
  );
}
