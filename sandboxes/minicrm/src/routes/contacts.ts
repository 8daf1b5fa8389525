import { json, stringParam, type Router, type SandboxRequest } from '@junction/sandbox-kit';
import { guarded } from '../auth';
import type { MiniCrmData } from '../data';
import type { Contact, System } from '../records';
import { badRequest, notFound, pageParam, results } from '../replies';
import { UPDATED_SINCE } from '../time';

const SEARCH_PARAMS = new Set(['Email', 'Name', 'Phone', 'Query', 'Type', 'UpdatedSince', 'MainContactId', 'Page']);
const WRITABLE = ['Type', 'FirstName', 'LastName', 'Name', 'Email', 'Phone', 'Description', 'BusinessId'] as const;

export function contactUrl(request: SandboxRequest, id: number): string {
  return `http://${request.headers.host ?? '127.0.0.1'}/Api/R3/Contact/${id}`;
}

export function contactOf(data: MiniCrmData, system: System, id: unknown): Contact | undefined {
  const contact = data.contacts.get(String(id));
  return contact?.SystemId === system.Id ? contact : undefined;
}

/** The filters of `GET /Contact`, or the plain-text 400 of an unknown parameter or a bad value. */
function contactFilters(request: SandboxRequest): Array<(contact: Contact) => boolean> | string {
  const filters: Array<(contact: Contact) => boolean> = [];
  for (const name of Object.keys(request.query)) if (!SEARCH_PARAMS.has(name)) return `Unknown parameter: ${name}`;
  const value = (name: string) => stringParam(request.query, name);
  const email = value('Email');
  if (email !== undefined) filters.push((contact) => contact.Email.toLowerCase() === email.toLowerCase());
  const name = value('Name');
  if (name !== undefined) filters.push((contact) => contact.Name.toLowerCase().includes(name.toLowerCase()));
  const phone = value('Phone');
  if (phone !== undefined) filters.push((contact) => contact.Phone === phone);
  const query = value('Query')?.toLowerCase();
  if (query !== undefined) {
    filters.push((contact) => [contact.Name, contact.Email, contact.Phone].some((field) => field.toLowerCase().includes(query)));
  }
  const type = value('Type');
  if (type !== undefined) {
    if (type !== 'Person' && type !== 'Business') return `Invalid value '${type}' for the Type parameter.`;
    filters.push((contact) => contact.Type === type);
  }
  const since = value('UpdatedSince');
  if (since !== undefined) {
    if (!UPDATED_SINCE.test(since)) return `Invalid value '${since}' for the UpdatedSince parameter.`;
    filters.push((contact) => contact.UpdatedAt >= since);
  }
  const business = value('MainContactId');
  if (business !== undefined) filters.push((contact) => String(contact.BusinessId) === business);
  return filters;
}

/** A create or update body checked field by field; a Person needs a first or last name, a Business a name. */
function contactFields(body: unknown, data: MiniCrmData, system: System, current?: Contact): Partial<Contact> | string {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'Contact (PUT): The request body must be a JSON object.';
  const given = body as Record<string, unknown>;
  const fields: Record<string, unknown> = {};
  for (const name of WRITABLE) if (given[name] !== undefined) fields[name] = given[name];
  const type = fields.Type ?? current?.Type;
  if (type !== 'Person' && type !== 'Business') return "Contact (PUT): Invalid value for the Type field. Use 'Person' or 'Business'.";
  if (fields.BusinessId != null && contactOf(data, system, fields.BusinessId)?.Type !== 'Business') {
    return `Contact (PUT): Invalid value '${String(fields.BusinessId)}' for the BusinessId field.`;
  }
  const merged = { ...current, ...fields } as Partial<Contact>;
  if (type === 'Person' && !merged.FirstName && !merged.LastName) return 'Contact (PUT): FirstName or LastName is required.';
  if (type === 'Business' && !merged.Name) return 'Contact (PUT): Name is required.';
  if (fields.BusinessId !== undefined) fields.BusinessId = fields.BusinessId === null ? null : Number(fields.BusinessId);
  return fields as Partial<Contact>;
}

function presentContact(contact: Contact, request: SandboxRequest) {
  const { SystemId: _system, ...shown } = contact;
  return { ...shown, Url: contactUrl(request, contact.Id), Tags: [] };
}

export function contactRoutes(api: Router<MiniCrmData>): void {
  api.get(
    '/Contact',
    guarded((request, data, system) => {
      const filters = contactFilters(request);
      if (typeof filters === 'string') return badRequest(filters);
      const page = pageParam(stringParam(request.query, 'Page'));
      if (typeof page !== 'number') return page;
      const wanted = (contact: Contact) => contact.SystemId === system.Id && filters.every((filter) => filter(contact));
      // A look-up by e-mail through the index; any other search reads every contact.
      const email = stringParam(request.query, 'Email');
      const matching = email !== undefined ? data.contacts.where('email', email.toLowerCase()).filter(wanted) : data.contacts.filter(wanted);
      return results(matching, page, (contact) => contact.Id, (contact) => ({
        Id: contact.Id,
        Name: contact.Name,
        Url: contactUrl(request, contact.Id),
        Type: contact.Type,
        Email: contact.Email,
        Phone: contact.Phone,
        ...(contact.BusinessId === null ? {} : { BusinessId: contact.BusinessId }),
      }));
    }),
  );

  api.get(
    '/Contact/:id',
    guarded((request, data, system) => {
      const contact = contactOf(data, system, request.params.id);
      return contact ? json(200, presentContact(contact, request)) : notFound();
    }),
  );

  api.put(
    '/Contact',
    guarded((request, data, system) => {
      const fields = contactFields(request.body, data, system);
      if (typeof fields === 'string') return badRequest(fields);
      const contact = data.contacts.insert({ ...fields, SystemId: system.Id });
      return json(200, { Id: contact.Id });
    }),
  );

  api.put(
    '/Contact/:id',
    guarded((request, data, system) => {
      const current = contactOf(data, system, request.params.id);
      if (!current) return notFound();
      const fields = contactFields(request.body, data, system, current);
      if (typeof fields === 'string') return badRequest(fields);
      data.contacts.update(current.Id, fields);
      return json(200, { Id: current.Id });
    }),
  );
}
