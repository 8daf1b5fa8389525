import { cronProblem } from './cron';

describe('cronProblem', () => {
  it.each(['0 4 * * *', '*/15 * * * *', '0 9-17 * * MON-FRI', '30 2 1,15 * *', '0 0 * JAN,jul 0', '0 0 * * 7'])(
    'accepts %s',
    (expression) => {
      expect(cronProblem(expression)).toBeUndefined();
    },
  );

  it.each([
    ['', 'expected 5 fields (minute hour day-of-month month day-of-week), got 0'],
    ['0 4 * *', 'expected 5 fields (minute hour day-of-month month day-of-week), got 4'],
    ['0 0 4 * * *', 'expected 5 fields (minute hour day-of-month month day-of-week), got 6'],
    ['60 * * * *', "minute: '60' is not a value in 0-59"],
    ['0 0 0 * *', "day of month: '0' is not a value in 1-31"],
    ['0 0 * FOO *', "month: 'FOO' is not a value in 1-12"],
    ['0 0 * * 8', "day of week: '8' is not a value in 0-7"],
    ['0 17-9 * * *', "hour: range '17-9' runs backwards"],
    ['*/0 * * * *', 'minute: step must be at least 1'],
    ['@daily * * * *', "minute: '@daily' is not a value, range, list or step"],
    ['1,,2 * * * *', "minute: '' is not a value, range, list or step"],
  ])('rejects %j: %s', (expression, problem) => {
    expect(cronProblem(expression)).toBe(problem);
  });
});
