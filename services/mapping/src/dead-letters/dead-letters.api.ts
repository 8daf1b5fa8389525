import { Bus, type DeadLetter } from '@junction/messaging';
import { z } from 'zod';
import { ApiError } from '../http/api-error';
import { defineRoute, type RouteHandlers } from '../http/api-route';

// Only the trace context of the original message is shown: outside publishers may put anything in other headers.
const SHOWN_HEADERS = ['traceparent', 'tracestate'];

const DeadLetterView = z.object({
  seq: z.number().int().describe('sequence in the dead-letter stream: the handle for show, replay and discard'),
  originalSubject: z.string(),
  reason: z.string().describe('why the consumer gave up, with the error'),
  consumer: z.string().describe('the durable consumer that gave up'),
  stream: z.string(),
  streamSeq: z.number().int(),
  deliveries: z.number().int(),
  failedAt: z.string(),
  msgId: z.string().optional(),
  headers: z.record(z.string(), z.string()).describe(`the original message's ${SHOWN_HEADERS.join(' and ')} headers`),
  payload: z.string().describe('the original message body'),
});

const SeqParams = z.object({ seq: z.coerce.number().int().min(1) });

export const DEAD_LETTER_ROUTES = {
  listDeadLetters: defineRoute({
    method: 'get',
    path: '/v1/dead-letters',
    tag: 'dead letters',
    summary: 'Messages a consumer gave up on, oldest first',
    query: z.object({
      subject: z.string().regex(/^[A-Za-z0-9_.*>-]+$/, 'must be a subject filter such as deal.won or cmd.repairshopr.>')
        .optional().describe('original subject filter, wildcards allowed'),
      limit: z.coerce.number().int().min(1).max(500).default(100),
    }),
    response: z.object({ deadLetters: z.array(DeadLetterView) }),
    status: 200,
    errors: [],
  }),
  getDeadLetter: defineRoute({
    method: 'get',
    path: '/v1/dead-letters/:seq',
    tag: 'dead letters',
    summary: 'One dead letter',
    params: SeqParams,
    response: DeadLetterView,
    status: 200,
    errors: ['not_found'],
  }),
  replayDeadLetter: defineRoute({
    method: 'post',
    path: '/v1/dead-letters/:seq/replay',
    tag: 'dead letters',
    summary: 'Republish a dead letter to its original subject and remove it from the dead letters',
    params: SeqParams,
    response: z.object({ seq: z.number().int().describe('the republished message\'s sequence in its stream') }),
    status: 202,
    errors: ['not_found'],
  }),
  discardDeadLetter: defineRoute({
    method: 'delete',
    path: '/v1/dead-letters/:seq',
    tag: 'dead letters',
    summary: 'Remove a dead letter for good, without replaying it',
    params: SeqParams,
    status: 204,
    errors: ['not_found'],
  }),
};

function viewOf(letter: DeadLetter) {
  const headers = Object.entries(letter.headers).filter(([name]) => SHOWN_HEADERS.includes(name.toLowerCase()));
  return { ...letter, headers: Object.fromEntries(headers) };
}

export function deadLetterHandlers(bus: Bus): RouteHandlers<typeof DEAD_LETTER_ROUTES> {
  const existing = async (seq: number) => {
    const letter = await bus.getDeadLetter(seq);
    if (!letter) throw ApiError.notFound(`dead letter ${seq}`);
    return letter;
  };
  return {
    listDeadLetters: async ({ query }) => ({ deadLetters: (await bus.listDeadLetters(query)).map(viewOf) }),
    getDeadLetter: async ({ params }) => viewOf(await existing(params.seq)),
    // replayDeadLetter reports a missing letter only as a plain Error; look first to answer 404.
    replayDeadLetter: async ({ params }) => bus.replayDeadLetter((await existing(params.seq)).seq),
    discardDeadLetter: async ({ params }) => {
      if (!(await bus.deleteDeadLetter(params.seq))) throw ApiError.notFound(`dead letter ${params.seq}`);
    },
  };
}
