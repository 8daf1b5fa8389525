import { formatSyncTime } from './time-zone';

describe('last sync time display', () => {
  it("shows 'DD-MM-YYYY HH:mm' in the integration's time zone", () => {
    const instant = new Date('2024-09-23T15:00:00Z');
    expect(formatSyncTime(instant, 'Europe/Moscow')).toBe('23-09-2024 18:00');
    expect(formatSyncTime(instant, 'Europe/Budapest')).toBe('23-09-2024 17:00');
    expect(formatSyncTime(instant, 'UTC')).toBe('23-09-2024 15:00');
  });

  it('shows midnight as 00, not 24, and rolls the date over', () => {
    expect(formatSyncTime(new Date('2024-12-31T21:05:00Z'), 'Europe/Moscow')).toBe('01-01-2025 00:05');
  });
});
