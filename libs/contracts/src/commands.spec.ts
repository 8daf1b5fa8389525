import { COMMANDS, EstimateCreate, OrderUpsert, RecordWritten } from './commands';
import { COMMAND_EXAMPLES, EVENT_EXAMPLES } from './examples';

describe('command data', () => {
  const estimate = COMMAND_EXAMPLES['estimate.create'].data;

  it('accepts an estimate for one billing period of a deal', () => {
    expect(EstimateCreate.parse(estimate)).toEqual(estimate);
  });

  it('accepts an estimate that carries the whole deal', () => {
    const { billingPeriod: _split, ...wholeDeal } = estimate;
    expect(EstimateCreate.safeParse(wholeDeal).success).toBe(true);
  });

  it('refuses an estimate without lines', () => {
    const result = EstimateCreate.safeParse({ ...estimate, lineItems: [] });
    expect(result.error?.issues.map((issue) => issue.path)).toEqual([['lineItems']]);
  });

  it('defaults creation-only writes and no product matching', () => {
    expect(COMMANDS['product.ensure'].data.parse(COMMAND_EXAMPLES['product.ensure'].data).updateExisting).toBe(false);
    expect(OrderUpsert.parse(COMMAND_EXAMPLES['order.upsert'].data).productMatching).toBe('none');
  });

  it('reports the outcome of a write with the target id', () => {
    const written = EVENT_EXAMPLES['record.written'].data;
    expect(RecordWritten.parse(written).externalId).toBe('556677');
    expect(RecordWritten.safeParse({ ...written, outcome: 'deleted' }).success).toBe(false);
  });
});
