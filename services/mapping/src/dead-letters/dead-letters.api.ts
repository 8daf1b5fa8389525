import { Bus, DLQ_STREAM } from '@junction/messaging';
import { z } from 'zod';
import { ApiError } from '../http/api-error';
import { defineRoute, type RouteHandlers } from '../http/api-route';

const DeadLetterView = z.object({
  seq: z.number().int().describe('sequence in the dead-letter stream: the handle for replay'),
  originalSubject: z.string(),
  reason: z.string(),
  consumer: z.string().describe('the durable consumer that gave up'),
  stream: z.string(),
  streamSeq: z.number().int(),
  deliveries: z.number().int(),
  failedAt: z.string(),
  msgId: z.string().optional(),
  payload: z.string().describe('the original message body'),
});

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
  replayDeadLetter: defineRoute({
    method: 'post',
    path: '/v1/dead-letters/:seq/replay',
    tag: 'dead letters',
    summary: 'Republish a dead letter to its original subject and remove it from the dead letters',
    params: z.object({ seq: z.coerce.number().int().min(1) }),
    response: z.object({ seq: z.number().int().describe('the republished message\'s sequence in its stream') }),
    status: 202,
    errors: ['not_found'],
  }),
};

export function deadLetterHandlers(bus: Bus): RouteHandlers<typeof DEAD_LETTER_ROUTES> {
  return {
    listDeadLetters: async ({ query }) => ({ deadLetters: await bus.listDeadLetters(query) }),
    replayDeadLetter: async ({ params }) => {
      // replayDeadLetter reports a missing letter only as a plain Error; look first to answer 404.
      const stored = await bus.jsm.direct.getMessage(bus.streamName(DLQ_STREAM), { seq: params.seq });
      if (!stored) throw ApiError.notFound(`dead letter ${params.seq}`);
      return bus.replayDeadLetter(params.seq);
    },
  };
}
