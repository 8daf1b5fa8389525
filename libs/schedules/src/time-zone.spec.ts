import { instantAtWallTime, utcOffsetAt, wallClockText } from './time-zone';

const BUDAPEST = 'Europe/Budapest';
const wall = (text: string) => Date.parse(`${text}Z`);
const iso = (instant: number) => new Date(instant).toISOString();

describe('wall clocks of a zone', () => {
  it("reads the zone's clock at an instant, summer and winter", () => {
    expect(wallClockText(BUDAPEST, Date.parse('2024-07-01T08:00:00.750Z'))).toBe('2024-07-01T10:00:00');
    expect(wallClockText(BUDAPEST, Date.parse('2024-01-15T23:30:00Z'))).toBe('2024-01-16T00:30:00');
    expect(utcOffsetAt('Europe/Moscow', Date.parse('2024-01-15T12:00:00Z'))).toBe(3 * 3_600_000);
  });

  it('finds the instant of a wall time, the later one in the hour the clocks go back, one hour on in the skipped hour', () => {
    expect(iso(instantAtWallTime(BUDAPEST, wall('2024-07-01T10:00:00')))).toBe('2024-07-01T08:00:00.000Z');
    expect(iso(instantAtWallTime(BUDAPEST, wall('2024-10-27T02:30:00')))).toBe('2024-10-27T01:30:00.000Z');
    expect(iso(instantAtWallTime(BUDAPEST, wall('2024-03-31T02:30:00')))).toBe('2024-03-31T01:30:00.000Z');
    expect(wallClockText(BUDAPEST, instantAtWallTime(BUDAPEST, wall('2024-03-31T02:30:00')))).toBe('2024-03-31T03:30:00');
  });
});
