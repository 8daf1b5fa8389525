import { CronSyntaxError, matchesDate, parseCron } from './cron-expression';

describe('parseCron', () => {
  it('expands lists, ranges, steps and names', () => {
    const pattern = parseCron('0,30 */6 1-3 jan,JUL mon-fri');
    expect(pattern.minutes).toEqual([0, 30]);
    expect(pattern.hours).toEqual([0, 6, 12, 18]);
    expect([...pattern.daysOfMonth]).toEqual([1, 2, 3]);
    expect([...pattern.months]).toEqual([1, 7]);
    expect([...pattern.daysOfWeek]).toEqual([1, 2, 3, 4, 5]);
  });

  it('reads n/step as n to the end of the field and folds weekday 7 into Sunday', () => {
    expect(parseCron('10/20 * * * *').minutes).toEqual([10, 30, 50]);
    expect([...parseCron('0 0 * * 5-7').daysOfWeek]).toEqual([5, 6, 0]);
  });

  it.each([
    ['0 3 * *', /5 fields/],
    ['0 0 3 * * *', /5 fields/],
    ['60 * * * *', /minute '60' is outside 0-59/],
    ['* 24 * * *', /hour '24'/],
    ['* * 0 * *', /day of month '0'/],
    ['* * * 13 *', /month '13'/],
    ['* * * foo *', /month 'foo'/],
    ['*/0 * * * *', /invalid step/],
    ['30-10 * * * *', /empty range/],
    ['0 0 L * *', /day of month 'L'/],
    ['0 0 * * 1#2', /invalid day of week/],
    ['0 0 30 2 *', /matches no date/],
    ['0 0 31 4,6,9,11 *', /matches no date/],
  ])('rejects %s', (expression, message) => {
    expect(() => parseCron(expression)).toThrow(CronSyntaxError);
    expect(() => parseCron(expression)).toThrow(message);
  });

  it('accepts dates that exist only in leap years, or only on some weekday', () => {
    expect(() => parseCron('0 0 29 2 *')).not.toThrow();
    expect(() => parseCron('0 0 30 2 1')).not.toThrow();
  });

  it('marks jobs whose minute or hour starts with * as wall-clock-following (cronie)', () => {
    expect(parseCron('*/15 * * * *').wildcard).toBe(true);
    expect(parseCron('0 * * * *').wildcard).toBe(true);
    expect(parseCron('* 2 * * *').wildcard).toBe(true);
    expect(parseCron('30 2 * * *').wildcard).toBe(false);
    expect(parseCron('0 1-3 * * *').wildcard).toBe(false);
  });
});

describe('matchesDate', () => {
  // 2025-06-02 is a Monday, 2025-06-03 a Tuesday.
  it('needs both day fields when one of them starts with *', () => {
    const mondays = parseCron('0 0 * * 1');
    expect(matchesDate(mondays, 6, 2, 1)).toBe(true);
    expect(matchesDate(mondays, 6, 3, 2)).toBe(false);
    const evenDaysOnMondays = parseCron('0 0 */2 * 1');
    expect(matchesDate(evenDaysOnMondays, 6, 3, 1)).toBe(true);
    expect(matchesDate(evenDaysOnMondays, 6, 2, 1)).toBe(false);
  });

  it('takes either day field when both are restricted (Vixie cron)', () => {
    const firstOrMonday = parseCron('0 0 1 * 1');
    expect(matchesDate(firstOrMonday, 6, 1, 0)).toBe(true);
    expect(matchesDate(firstOrMonday, 6, 2, 1)).toBe(true);
    expect(matchesDate(firstOrMonday, 6, 3, 2)).toBe(false);
  });

  it('honours the month', () => {
    expect(matchesDate(parseCron('0 0 1 jan *'), 1, 1, 3)).toBe(true);
    expect(matchesDate(parseCron('0 0 1 jan *'), 2, 1, 6)).toBe(false);
  });
});
