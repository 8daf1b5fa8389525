import type { Collection, SandboxData, Store, StoredRecord } from '@junction/sandbox-kit';
import type { Category, Contact, Order, Project, Status, System, User } from './records';
import { minicrmTime } from './time';

export interface MiniCrmData extends SandboxData {
  systems: Collection<System>;
  categories: Collection<Category>;
  statuses: Collection<Status>;
  users: Collection<User>;
  contacts: Collection<Contact>;
  projects: Collection<Project>;
  orders: Collection<Order>;
  /** Set by each seed: the status of a bad SystemId/API key (reset option `unauthorizedStatus`). */
  unauthorizedStatus: 401 | 404;
  /** Last order item id handed out (item ids are unique across orders). */
  orderItemSequence: number;
}

/** Vendor defaults of a contact; a Person's `Name` is "FirstName LastName", as in the manual's example. */
function completeContact(record: StoredRecord): Contact {
  const contact = record as Partial<Contact>;
  const FirstName = contact.FirstName ?? '';
  const LastName = contact.LastName ?? '';
  return {
    ...(record as unknown as Contact),
    Name: contact.Type === 'Person' ? `${FirstName} ${LastName}`.trim() : (contact.Name ?? ''),
    FirstName,
    LastName,
    Email: contact.Email ?? '',
    Phone: contact.Phone ?? '',
    Description: contact.Description ?? '',
    BusinessId: contact.BusinessId ?? null,
    Deleted: contact.Deleted ?? 0,
    CreatedBy: contact.CreatedBy ?? 'API',
    UpdatedBy: 'API',
  };
}

/** Vendor defaults of a data sheet. */
function completeProject(record: StoredRecord): Project {
  const project = record as Partial<Project>;
  return {
    ...(record as unknown as Project),
    Name: project.Name ?? '',
    ReferenceId: project.ReferenceId ?? '',
    BusinessId: project.BusinessId ?? null,
    Deleted: project.Deleted ?? 0,
    CreatedBy: project.CreatedBy ?? 'API',
    UpdatedBy: 'API',
    StatusUpdatedAt: project.StatusUpdatedAt ?? project.CreatedAt ?? '',
  };
}

const timestamps = { createdAt: 'CreatedAt', updatedAt: 'UpdatedAt', format: minicrmTime };

export function createData(store: Store): MiniCrmData {
  return {
    store,
    systems: store.define<System>('systems', { idField: 'Id' }),
    categories: store.define<Category>('categories', { idField: 'Id' }),
    statuses: store.define<Status>('statuses', { idField: 'Id', ids: (sequence) => 3000 + sequence }),
    users: store.define<User>('users', { idField: 'Id' }),
    contacts: store.define<Contact>('contacts', {
      idField: 'Id',
      timestamps,
      complete: completeContact,
      indexes: { email: (contact) => contact.Email.toLowerCase() },
    }),
    projects: store.define<Project>('projects', {
      idField: 'Id',
      timestamps,
      complete: completeProject,
      indexes: { reference: (project) => String(project.ReferenceId), contact: (project) => String(project.ContactId) },
    }),
    orders: store.define<Order>('orders', { idField: 'Id', timestamps }),
    unauthorizedStatus: 401,
    orderItemSequence: 0,
  };
}
