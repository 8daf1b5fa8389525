import {
  dueSlot,
  InvalidTimingError,
  nextRunAt,
  nextSlotAfter,
  sameTiming,
  Schedule,
  ScheduleTiming,
  validateTiming,
} from './slots';

const at = (iso: string) => new Date(iso);
const iso = (date: Date | undefined) => date?.toISOString();

/** Slots strictly after `from`, in order, for as long as they are before `until`. */
function slotsBetween(timing: ScheduleTiming, from: string, until: string): string[] {
  const slots: string[] = [];
  for (let slot = nextSlotAfter(timing, at(from)); slot < at(until); slot = nextSlotAfter(timing, slot)) {
    slots.push(slot.toISOString());
  }
  return slots;
}

describe('interval schedules', () => {
  const every7: Schedule = { kind: 'interval', everyMinutes: 7, effectiveFrom: at('2025-01-01T00:00:00Z') };

  it('puts slots on multiples of the interval since the Unix epoch, whoever asks and whenever', () => {
    const step = 7 * 60_000;
    for (const asked of ['2025-06-01T10:00:00Z', '2025-06-01T10:03:17.123Z', '2025-06-01T10:06:59.999Z']) {
      const slot = nextSlotAfter(every7, at(asked));
      expect(slot.getTime() % step).toBe(0);
      expect(slot.getTime() - at(asked).getTime()).toBeLessThanOrEqual(step);
    }
    expect(iso(nextSlotAfter({ kind: 'interval', everyMinutes: 60 }, at('2025-06-01T10:20:00Z')))).toBe(
      '2025-06-01T11:00:00.000Z',
    );
  });

  it('gives two replicas looking at different moments of the same slot the same slot', () => {
    // 2025-06-01T10:01Z is a multiple of 7 minutes since the epoch; the next slot is 10:08.
    const replicaA = dueSlot(every7, undefined, at('2025-06-01T10:01:30Z'));
    const replicaB = dueSlot(every7, undefined, at('2025-06-01T10:07:59Z'));
    expect(iso(replicaA)).toBe('2025-06-01T10:01:00.000Z');
    expect(replicaB).toEqual(replicaA);
  });

  it('fires a slot exactly at its instant and not a millisecond before', () => {
    const every5: Schedule = { kind: 'interval', everyMinutes: 5, effectiveFrom: at('2025-06-01T09:00:00Z') };
    const last = at('2025-06-01T10:00:00Z');
    expect(dueSlot(every5, last, at('2025-06-01T10:04:59.999Z'))).toBeUndefined();
    expect(iso(dueSlot(every5, last, at('2025-06-01T10:05:00Z')))).toBe('2025-06-01T10:05:00.000Z');
  });
});

describe('missed slots', () => {
  const every5: Schedule = { kind: 'interval', everyMinutes: 5, effectiveFrom: at('2025-06-01T00:00:00Z') };

  it('fire once after downtime: only the latest missed slot, then the schedule waits for the next one', () => {
    const lastFired = at('2025-06-01T10:00:00Z');
    const now = at('2025-06-01T12:27:00Z');
    const slot = dueSlot(every5, lastFired, now);
    expect(iso(slot)).toBe('2025-06-01T12:25:00.000Z');
    expect(dueSlot(every5, slot, now)).toBeUndefined();
    expect(iso(nextRunAt(every5, slot))).toBe('2025-06-01T12:30:00.000Z');
  });

  it('fire once for a daily cron after days of downtime across a DST change', () => {
    const daily: Schedule = {
      kind: 'cron',
      cron: '0 3 * * *',
      timeZone: 'Europe/Budapest',
      effectiveFrom: at('2025-01-01T00:00:00Z'),
    };
    const slot = dueSlot(daily, at('2025-03-27T02:00:00Z'), at('2025-04-02T12:00:00Z'));
    expect(iso(slot)).toBe('2025-04-02T01:00:00.000Z');
    expect(dueSlot(daily, slot, at('2025-04-02T12:00:00Z'))).toBeUndefined();
  });

  it('do not include slots from before the schedule existed', () => {
    const created: Schedule = { kind: 'interval', everyMinutes: 5, effectiveFrom: at('2025-06-01T10:03:00Z') };
    expect(dueSlot(created, undefined, at('2025-06-01T10:04:00Z'))).toBeUndefined();
    expect(iso(nextRunAt(created, undefined))).toBe('2025-06-01T10:05:00.000Z');
    expect(iso(dueSlot(created, undefined, at('2025-06-01T10:05:00Z')))).toBe('2025-06-01T10:05:00.000Z');
  });

  it('include a slot at exactly the instant the schedule was created', () => {
    const created: Schedule = { kind: 'interval', everyMinutes: 5, effectiveFrom: at('2025-06-01T10:05:00Z') };
    expect(iso(nextRunAt(created, undefined))).toBe('2025-06-01T10:05:00.000Z');
    expect(iso(dueSlot(created, undefined, at('2025-06-01T10:06:00Z')))).toBe('2025-06-01T10:05:00.000Z');
  });
});

describe('cron schedules in Europe/Budapest across DST', () => {
  const budapest = (cron: string): ScheduleTiming => ({ kind: 'cron', cron, timeZone: 'Europe/Budapest' });

  // 2025-03-30: clocks jump from 02:00 CET (01:00Z) to 03:00 CEST, so 02:00-02:59 never happens.
  // 2025-10-26: clocks go back from 03:00 CEST (01:00Z) to 02:00 CET, so 02:00-02:59 happens twice.

  it('runs 03:00 every day, in CET and in CEST (cron-parser 5.4 skips 2025-03-30 here)', () => {
    expect(slotsBetween(budapest('0 3 * * *'), '2025-03-28T00:00:00Z', '2025-04-01T00:00:00Z')).toEqual([
      '2025-03-28T02:00:00.000Z',
      '2025-03-29T02:00:00.000Z',
      '2025-03-30T01:00:00.000Z',
      '2025-03-31T01:00:00.000Z',
    ]);
    expect(slotsBetween(budapest('0 3 * * *'), '2025-10-24T12:00:00Z', '2025-10-28T00:00:00Z')).toEqual([
      '2025-10-25T01:00:00.000Z',
      '2025-10-26T02:00:00.000Z',
      '2025-10-27T02:00:00.000Z',
    ]);
  });

  it('runs a fixed-time job whose time is skipped once, when the clocks jump', () => {
    expect(slotsBetween(budapest('30 2 * * *'), '2025-03-29T00:00:00Z', '2025-04-01T00:00:00Z')).toEqual([
      '2025-03-29T01:30:00.000Z',
      '2025-03-30T01:00:00.000Z',
      '2025-03-31T00:30:00.000Z',
    ]);
  });

  it('runs a fixed-time job in the repeated hour once, in its first pass', () => {
    expect(slotsBetween(budapest('30 2 * * *'), '2025-10-25T00:00:00Z', '2025-10-28T00:00:00Z')).toEqual([
      '2025-10-25T00:30:00.000Z',
      '2025-10-26T00:30:00.000Z',
      '2025-10-27T01:30:00.000Z',
    ]);
    const fixed: Schedule = { ...budapest('30 2 * * *'), effectiveFrom: at('2025-10-01T00:00:00Z') };
    // 01:45Z is 02:45 CET: the second pass through 02:30 is over and nothing fires again.
    expect(dueSlot(fixed, at('2025-10-26T00:30:00Z'), at('2025-10-26T01:45:00Z'))).toBeUndefined();
  });

  it('keeps a wildcard job on real time: no runs in the skipped hour, runs in both passes of the repeated one', () => {
    expect(slotsBetween(budapest('*/30 * * * *'), '2025-03-30T00:00:00Z', '2025-03-30T02:00:00Z')).toEqual([
      '2025-03-30T00:30:00.000Z',
      '2025-03-30T01:00:00.000Z',
      '2025-03-30T01:30:00.000Z',
    ]);
    expect(slotsBetween(budapest('*/30 * * * *'), '2025-10-25T23:45:00Z', '2025-10-26T02:15:00Z')).toEqual([
      '2025-10-26T00:00:00.000Z',
      '2025-10-26T00:30:00.000Z',
      '2025-10-26T01:00:00.000Z',
      '2025-10-26T01:30:00.000Z',
      '2025-10-26T02:00:00.000Z',
    ]);
  });
});

describe('searching backwards (dueSlot) agrees with searching forwards (nextSlotAfter)', () => {
  it.each([
    ['*/20 1-3 * * *', 'Europe/Budapest'],
    ['15 2 * * *', 'Europe/Budapest'],
    ['*/30 * * * *', 'Europe/Budapest'],
    ['0,30 1-3 * * *', 'America/New_York'],
    // Lord Howe Island moves its clocks by 30 minutes.
    ['*/15 1-2 * * *', 'Australia/Lord_Howe'],
  ])('%s in %s', (cron, timeZone) => {
    const schedule: Schedule = { kind: 'cron', cron, timeZone, effectiveFrom: at('2024-01-01T00:00:00Z') };
    // A few days around each 2025 clock change in these zones (Lord Howe's are in April and October).
    const windows = [
      ['2025-03-07T12:00:00Z', '2025-03-11T00:00:00Z'],
      ['2025-03-28T12:00:00Z', '2025-04-01T00:00:00Z'],
      ['2025-04-04T12:00:00Z', '2025-04-08T00:00:00Z'],
      ['2025-10-03T12:00:00Z', '2025-10-07T00:00:00Z'],
      ['2025-10-24T12:00:00Z', '2025-10-28T00:00:00Z'],
      ['2025-10-31T12:00:00Z', '2025-11-04T00:00:00Z'],
    ] as const;
    for (const [from, until] of windows) {
      const slots = slotsBetween(schedule, from, until).map(at);
      expect(slots.length).toBeGreaterThan(2);
      for (const [index, slot] of slots.entries()) {
        expect(dueSlot(schedule, undefined, slot)).toEqual(slot);
        if (index > 0) expect(dueSlot(schedule, undefined, new Date(slot.getTime() - 1))).toEqual(slots[index - 1]);
      }
    }
  });
});

describe('validateTiming', () => {
  it('returns the canonical zone name and a tidy expression', () => {
    expect(validateTiming({ kind: 'cron', cron: ' 0  3 * * * ', timeZone: 'europe/budapest' })).toEqual({
      kind: 'cron',
      cron: '0 3 * * *',
      timeZone: 'Europe/Budapest',
    });
  });

  it.each([
    [{ kind: 'interval', everyMinutes: 0 }, /positive whole number/],
    [{ kind: 'interval', everyMinutes: 2.5 }, /positive whole number/],
    [{ kind: 'cron', cron: '0 3 * * *', timeZone: 'Mars/Olympus_Mons' }, /unknown time zone/],
    [{ kind: 'cron', cron: '0 3 * *', timeZone: 'UTC' }, /5 fields/],
  ] as Array<[ScheduleTiming, RegExp]>)('rejects %j', (timing, message) => {
    expect(() => validateTiming(timing)).toThrow(InvalidTimingError);
    expect(() => validateTiming(timing)).toThrow(message);
  });
});

describe('sameTiming', () => {
  it('compares kind and every field that decides the slots', () => {
    const cron: ScheduleTiming = { kind: 'cron', cron: '0 3 * * *', timeZone: 'Europe/Budapest' };
    expect(sameTiming(cron, { ...cron })).toBe(true);
    expect(sameTiming(cron, { ...cron, timeZone: 'UTC' })).toBe(false);
    expect(sameTiming({ kind: 'interval', everyMinutes: 5 }, { kind: 'interval', everyMinutes: 5 })).toBe(true);
    expect(sameTiming({ kind: 'interval', everyMinutes: 5 }, cron)).toBe(false);
  });
});
