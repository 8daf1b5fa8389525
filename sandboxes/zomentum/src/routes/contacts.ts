import { json, type Router } from '@junction/sandbox-kit';
import { guarded } from '../auth';
import type { ZomentumData } from '../data';
import { notFound, validationError, type FieldError } from '../errors';
import { listReply } from '../listing';
import { EMAIL, isObject, optionalString, shown } from '../present';

/** The writable fields of a client user; name.first, client_company_id and contact_type are required on create. */
function contactFields(body: unknown, creating: boolean, data: ZomentumData, accountId: string) {
  const source = isObject(body) ? body : {};
  const errors: FieldError[] = [];
  const fields: Record<string, unknown> = {};
  if ('name' in source || creating) {
    const name = source.name;
    if (!isObject(name) || typeof name.first !== 'string' || name.first.trim() === '') {
      errors.push({ field: 'name.first', message: 'name.first is required' });
    } else {
      fields.name = { first: name.first.trim(), last: optionalString(name.last) };
    }
  }
  if ('client_company_id' in source || creating) {
    const client = typeof source.client_company_id === 'string' ? data.clientCompanies.get(source.client_company_id) : undefined;
    if (client?.account_id === accountId) fields.client_company_id = client.id;
    else errors.push({ field: 'client_company_id', message: 'client_company_id must reference a client company' });
  }
  if ('contact_type' in source || creating) {
    if (typeof source.contact_type === 'string' && source.contact_type !== '') fields.contact_type = source.contact_type;
    else errors.push({ field: 'contact_type', message: 'contact_type is required' });
  }
  if ('phone' in source) fields.phone = optionalString(source.phone);
  if ('email' in source) {
    fields.email = optionalString(source.email);
    if (fields.email !== null && !EMAIL.test(String(fields.email))) {
      errors.push({ field: 'email', message: 'email must be a valid email' });
    }
  }
  return { fields, errors };
}

export function contactRoutes(api: Router<ZomentumData>): void {
  api.get(
    '/client/users',
    guarded((request, data, { account }) =>
      listReply(request, data.clientUsers.filter((contact) => contact.account_id === account.id), shown),
    ),
  );

  api.post(
    '/client/users',
    guarded((request, data, { account }) => {
      const { fields, errors } = contactFields(request.body, true, data, account.id);
      if (errors.length > 0) return validationError(errors);
      return json(201, shown(data.clientUsers.insert({ ...fields, account_id: account.id })));
    }),
  );

  api.get(
    '/client/users/:id',
    guarded((request, data, { account }) => {
      const contact = data.clientUsers.get(request.params.id);
      return contact?.account_id === account.id ? json(200, shown(contact)) : notFound('Client user');
    }),
  );

  api.put(
    '/client/users/:id',
    guarded((request, data, { account }) => {
      const contact = data.clientUsers.get(request.params.id);
      if (contact?.account_id !== account.id) return notFound('Client user');
      const { fields, errors } = contactFields(request.body, false, data, account.id);
      if (errors.length > 0) return validationError(errors);
      return json(200, shown(data.clientUsers.update(contact.id, fields)!));
    }),
  );
}
