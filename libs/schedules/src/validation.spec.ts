import { cronProblem, isTimeZone } from './validation';

describe('cronProblem', () => {
  it('accepts expressions that run', () => {
    expect(cronProblem('0 3 * * *')).toBeUndefined();
    expect(cronProblem('0 0 29 2 *')).toBeUndefined();
    expect(cronProblem('*/15 8-18 * * MON-FRI')).toBeUndefined();
  });

  it('explains expressions that cannot run', () => {
    expect(cronProblem('0 3 * *')).toMatch(/5 fields/);
    expect(cronProblem('61 3 * * *')).toMatch(/minute/);
    expect(cronProblem('0 0 30 2 *')).toMatch(/matches no date/);
  });
});

describe('isTimeZone', () => {
  it('knows IANA zones and nothing else', () => {
    expect(isTimeZone('Europe/Budapest')).toBe(true);
    expect(isTimeZone('Europe/Moscow')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});
