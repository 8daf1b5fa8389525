import { maxOf } from '../src/pipeline';

it('finds the largest of more values than a spread can pass as arguments (a full-size backfill logs 450,000 calls)', () => {
  const finishedMs = Array.from({ length: 500_000 }, (_, index) => (index * 7919) % 500_000);
  expect(() => Math.max(...finishedMs)).toThrow(RangeError);
  expect(maxOf(finishedMs)).toBe(499_999);
  expect(maxOf(new Set([3, 9, 4]).values())).toBe(9);
});
