// A tiny made-up vendor built on the kit the way a real sandbox is: the kit's tests run against it.
import { z } from 'zod';
import {
  createSandboxApp,
  header,
  intParam,
  json,
  listParam,
  paginate,
  Router,
  stableSecret,
  text,
  type Collection,
  type SandboxData,
  type Store,
} from '../src';

export const TICKETS_TOKEN = stableSecret('tickets/agent');

interface Ticket {
  id: number;
  subject: string;
  tags: string[];
  created_at: string;
  updated_at: string;
}

interface TicketsData extends SandboxData {
  tickets: Collection<Ticket>;
}

const routes = new Router<TicketsData>();
routes.group('/api', (api) => {
  api.get('/tickets', (request, data) => {
    const ids = listParam(request.query, 'id');
    const all = data.tickets.filter((ticket) => ids.length === 0 || ids.includes(String(ticket.id)));
    const page = paginate(all, intParam(request.query, 'page') ?? 1, 2);
    return json(200, { tickets: page.items, meta: { page: page.page, total_pages: page.totalPages } });
  });
  api.post('/tickets', (request, data) => {
    if (header(request, 'authorization') !== `Bearer ${TICKETS_TOKEN}`) return json(401, { error: 'bad token' });
    const body = (request.body ?? {}) as { subject?: string; tags?: string[] };
    if (!body.subject) return json(422, { errors: { subject: ["can't be blank"] } });
    return json(200, { ticket: data.tickets.insert({ subject: body.subject, tags: body.tags ?? [] }) });
  });
});

// A vendor control call: tag a ticket as an agent in the vendor's UI would.
const controlRoutes = new Router<TicketsData>().post('/__sandbox/tickets/:id/tag', (request, data) => {
  const { tag } = z.object({ tag: z.string().min(1) }).parse(request.body);
  const ticket = data.tickets.get(Number(request.params.id));
  if (!ticket) return json(404, { error: 'no such ticket' });
  return json(200, { ticket: data.tickets.update(ticket.id, { tags: [...ticket.tags, tag] }) });
});

export function createTicketsSandbox() {
  return createSandboxApp({
    name: 'tickets',
    createData: (store: Store) => ({
      store,
      tickets: store.define<Ticket>('tickets', { timestamps: { createdAt: 'created_at', updatedAt: 'updated_at' } }),
    }),
    seedOptions: z.object({ tickets: z.number().int().min(0).default(3) }),
    seed: (data, options) => {
      for (let n = 1; n <= options.tickets; n++) data.tickets.insert({ subject: `Seeded ${n}`, tags: [] });
    },
    routes,
    controlRoutes,
    credentialOf: (request) => (header(request, 'authorization') === `Bearer ${TICKETS_TOKEN}` ? 'agent:1' : undefined),
    rateLimits: [{ name: 'api', policy: { kind: 'fixed-window', limit: 5, windowMs: 60_000, retryAfter: true } }],
    rateLimited: () => text(429, 'Slow down\n'),
    notFound: (request) => json(404, { error: `nothing at ${request.path}` }),
    malformedBody: () => json(400, { error: 'body is not JSON' }),
    describe: (url) => [`base URL: ${url}/api`, `token: ${TICKETS_TOKEN}`],
  });
}
