import { allowsPull, allowsPush } from './direction';

describe('sync direction gates', () => {
  it.each([
    ['pull_only', true, false],
    ['push_only', false, true],
    ['two_way', true, true],
  ] as const)('%s: pull %s, push %s', (direction, pull, push) => {
    expect(allowsPull(direction)).toBe(pull);
    expect(allowsPush(direction)).toBe(push);
  });
});
