import { exponentialBackoff } from './consumer';

describe('exponentialBackoff', () => {
  it('doubles from 1 s per delivery within ±20 % jitter', () => {
    for (const [deliveryCount, base] of [[1, 1_000], [2, 2_000], [3, 4_000], [6, 32_000]]) {
      for (let sample = 0; sample < 50; sample++) {
        const delay = exponentialBackoff(deliveryCount);
        expect(delay).toBeGreaterThanOrEqual(base * 0.8);
        expect(delay).toBeLessThanOrEqual(base * 1.2);
      }
    }
  });

  it('caps the base delay at 60 s', () => {
    for (let sample = 0; sample < 50; sample++) expect(exponentialBackoff(30)).toBeLessThanOrEqual(72_000);
  });

  it('spreads retries of the same delivery count apart', () => {
    const delays = new Set(Array.from({ length: 20 }, () => exponentialBackoff(4)));
    expect(delays.size).toBeGreaterThan(1);
  });
});
