import { splitQuoteIntoEstimates } from './quote-split';

describe('quote sync type 1 / type 2', () => {
  const lines = [
    { sku: 'laptop', billingPeriod: 'one_time' },
    { sku: 'm365', billingPeriod: 'monthly' },
    { sku: 'setup', billingPeriod: 'one_time' },
    { sku: 'backup', billingPeriod: 'yearly' },
  ];

  it('type 1 makes one estimate per billing period, in the quote line order', () => {
    expect(splitQuoteIntoEstimates(lines, true)).toEqual([
      { part: 'one_time', billingPeriod: 'one_time', lineItems: [lines[0], lines[2]] },
      { part: 'monthly', billingPeriod: 'monthly', lineItems: [lines[1]] },
      { part: 'yearly', billingPeriod: 'yearly', lineItems: [lines[3]] },
    ]);
  });

  it('type 1 with a single billing period makes one estimate', () => {
    expect(splitQuoteIntoEstimates([lines[0], lines[2]], true)).toHaveLength(1);
  });

  it('type 2 makes one estimate holding every line', () => {
    expect(splitQuoteIntoEstimates(lines, false)).toEqual([{ part: 'single', lineItems: lines }]);
  });

  it('makes no estimate for a quote without lines', () => {
    expect(splitQuoteIntoEstimates([], true)).toEqual([]);
    expect(splitQuoteIntoEstimates([], false)).toEqual([]);
  });
});
