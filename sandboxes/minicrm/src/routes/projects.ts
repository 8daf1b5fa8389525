import { json, stringParam, type Router, type SandboxRequest } from '@junction/sandbox-kit';
import { guarded } from '../auth';
import type { MiniCrmData } from '../data';
import type { Category, Project, StatusGroup, System } from '../records';
import { badRequest, notFound, pageParam, results } from '../replies';
import { categoryOf, CUSTOM_FIELDS, statusesOf, statusOf } from '../schema';
import { minicrmTime, UPDATED_SINCE } from '../time';
import { contactOf } from './contacts';

const SEARCH_PARAMS = new Set([
  'CategoryId',
  'StatusId',
  'StatusGroup',
  'UserId',
  'MainContactId',
  'ReferenceId',
  'UpdatedSince',
  'Deleted',
  'Query',
  'Name',
  'Page',
]);
const STATUS_GROUPS: StatusGroup[] = ['Lead', 'Open', 'Success', 'Failed'];

export function projectOf(data: MiniCrmData, system: System, id: unknown): Project | undefined {
  const project = data.projects.get(String(id));
  return project?.SystemId === system.Id ? project : undefined;
}

function projectUrl(request: SandboxRequest, id: number): string {
  return `http://${request.headers.host ?? '127.0.0.1'}/Api/R3/Project/${id}`;
}

function projectFilters(request: SandboxRequest, data: MiniCrmData): Array<(project: Project) => boolean> | string {
  for (const name of Object.keys(request.query)) if (!SEARCH_PARAMS.has(name)) return `Unknown parameter: ${name}`;
  const value = (name: string) => stringParam(request.query, name);
  const filters: Array<(project: Project) => boolean> = [];
  const deleted = value('Deleted') === '1' ? 1 : 0;
  filters.push((project) => project.Deleted === deleted);
  for (const name of ['CategoryId', 'StatusId', 'UserId', 'ReferenceId'] as const) {
    const wanted = value(name);
    if (wanted !== undefined) filters.push((project) => String(project[name]) === wanted);
  }
  const contact = value('MainContactId');
  if (contact !== undefined) filters.push((project) => String(project.ContactId) === contact);
  const group = value('StatusGroup');
  if (group !== undefined) {
    if (!STATUS_GROUPS.includes(group as StatusGroup)) return `Invalid value '${group}' for the StatusGroup parameter.`;
    filters.push((project) => data.statuses.get(project.StatusId)?.Group === group);
  }
  const since = value('UpdatedSince');
  if (since !== undefined) {
    if (!UPDATED_SINCE.test(since)) return `Invalid value '${since}' for the UpdatedSince parameter.`;
    filters.push((project) => project.UpdatedAt >= since);
  }
  const name = value('Name')?.toLowerCase() ?? value('Query')?.toLowerCase();
  if (name !== undefined) filters.push((project) => project.Name.toLowerCase().includes(name));
  return filters;
}

/** Detail form: StatusId and UserId as labels, as the live API answers. */
function presentProject(project: Project, data: MiniCrmData, request: SandboxRequest) {
  const { SystemId: _system, ...shown } = project;
  const order = data.orders.find((candidate) => candidate.ProjectId === project.Id);
  return {
    ...shown,
    StatusId: data.statuses.get(project.StatusId)?.Name ?? '',
    UserId: data.users.get(project.UserId)?.Name ?? '',
    Url: projectUrl(request, project.Id),
    // Where an Order card's order is: not in the notes (our guess), so a connector can get from card to order.
    ...(order ? { OrderId: order.Id } : {}),
  };
}

/**
 * A create/update body checked like the live API: category and contact of this system, a status of the
 * category by id or name, user by id or name, only known custom fields. Answers the fields or a 400 text.
 */
export function projectFields(body: unknown, data: MiniCrmData, system: System, current?: Project): Partial<Project> | string {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'Project (PUT): The request body must be a JSON object.';
  const given = body as Record<string, unknown>;
  const category: Category | undefined = categoryOf(data, system, given.CategoryId ?? current?.CategoryId);
  if (!category) return `Project (PUT): Invalid value '${String(given.CategoryId ?? '')}' for the CategoryId field.`;
  if (current && category.Id !== current.CategoryId) return 'Project (PUT): CategoryId cannot be changed.';
  const fields: Record<string, unknown> = { CategoryId: category.Id };
  for (const [name, value] of Object.entries(given)) {
    if (name === 'CategoryId') continue;
    if (name === 'ContactId') {
      const contact = contactOf(data, system, value);
      if (!contact) return `Project (PUT): Invalid value '${String(value)}' for the ContactId field.`;
      fields.ContactId = contact.Id;
      fields.BusinessId = contact.Type === 'Business' ? contact.Id : contact.BusinessId;
    } else if (name === 'StatusId') {
      const status = statusOf(data, category, value);
      if (!status) return `Project (PUT): Invalid value '${String(value)}' for the Status field.`;
      fields.StatusId = status.Id;
    } else if (name === 'UserId') {
      // An unknown user name is accepted and someone is assigned, as documented.
      const users = data.users.filter((candidate) => candidate.SystemId === system.Id);
      fields.UserId = (users.find((candidate) => String(candidate.Id) === String(value) || candidate.Name === value) ?? users[0])?.Id;
    } else if (name === 'Name' || name === 'ReferenceId' || name in CUSTOM_FIELDS[category.Type]) {
      fields[name] = String(value);
    } else if (name === 'Deleted') {
      fields.Deleted = Number(value) === 1 ? 1 : 0;
    } else {
      return `Project (PUT): Unknown field: ${name}`;
    }
  }
  if (!current && fields.ContactId === undefined) return 'Project (PUT): ContactId is required.';
  if (!current) {
    fields.StatusId ??= statusesOf(data, category)[0]?.Id;
    fields.UserId ??= data.users.find((candidate) => candidate.SystemId === system.Id)?.Id;
  }
  if (fields.StatusId !== undefined && fields.StatusId !== current?.StatusId) fields.StatusUpdatedAt = minicrmTime(data.store.clock.now());
  return fields as Partial<Project>;
}

export function projectRoutes(api: Router<MiniCrmData>): void {
  api.get(
    '/Project',
    guarded((request, data, system) => {
      const filters = projectFilters(request, data);
      if (typeof filters === 'string') return badRequest(filters);
      const page = pageParam(stringParam(request.query, 'Page'));
      if (typeof page !== 'number') return page;
      const wanted = (project: Project) => project.SystemId === system.Id && filters.every((filter) => filter(project));
      // An order card's lookup by its reference, or a contact's cards, through the index; any other search reads them all.
      const reference = stringParam(request.query, 'ReferenceId');
      const contact = stringParam(request.query, 'MainContactId');
      const candidates =
        reference !== undefined ? data.projects.where('reference', reference) : contact !== undefined ? data.projects.where('contact', contact) : undefined;
      const matching = candidates ? candidates.filter(wanted) : data.projects.filter(wanted);
      return results(matching, page, (project) => project.Id, (project) => ({
        Id: project.Id,
        Name: project.Name,
        Url: projectUrl(request, project.Id),
        ContactId: project.ContactId,
        StatusId: project.StatusId,
        UserId: project.UserId,
        Deleted: project.Deleted,
        ...(project.BusinessId === null ? {} : { BusinessId: project.BusinessId }),
      }));
    }),
  );

  api.get(
    '/Project/:id',
    guarded((request, data, system) => {
      const project = projectOf(data, system, request.params.id);
      return project ? json(200, presentProject(project, data, request)) : notFound();
    }),
  );

  api.put(
    '/Project',
    guarded((request, data, system) => {
      const fields = projectFields(request.body, data, system);
      if (typeof fields === 'string') return badRequest(fields);
      const project = data.projects.insert({ ...fields, SystemId: system.Id });
      return json(200, { Id: project.Id });
    }),
  );

  api.put(
    '/Project/:id',
    guarded((request, data, system) => {
      const current = projectOf(data, system, request.params.id);
      if (!current) return notFound();
      const fields = projectFields(request.body, data, system, current);
      if (typeof fields === 'string') return badRequest(fields);
      data.projects.update(current.Id, fields);
      return json(200, { Id: current.Id });
    }),
  );
}
