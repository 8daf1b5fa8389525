import { issuesFromZod } from '../http/api-error';
import { INTEGRATION_KINDS } from './integration-kinds';

const { 'zomentum-repairshopr': zomentum, 'shoprenter-minicrm': shoprenter, 'zzap-retailcrm': zzap } = INTEGRATION_KINDS;

function issuesOf(result: { success: boolean; error?: unknown }) {
  if (result.success) throw new Error('expected the settings to be refused');
  return issuesFromZod(result.error as never);
}

describe('Zomentum <-> RepairShopr settings', () => {
  it('defaults to the vendor defaults: two-way, everything on, quote sync type 1, creation-only', () => {
    expect(zomentum.settings.parse({})).toMatchObject({
      direction: 'two_way',
      contactSync: true,
      productSync: true,
      productCategories: [],
      categoryMap: { Hardware: 'Hardware', Software: 'Default', Service: 'Labor', Labor: 'Labor' },
      quoteSyncType1: true,
      updateSync: false,
      schedules: {},
    });
  });

  it('refuses an unknown direction and a malformed date, naming the fields', () => {
    const result = zomentum.settings.safeParse({ direction: 'sideways', contactsCreatedAfter: 'yesterday' });
    expect(issuesOf(result).map((issue) => issue.path)).toEqual(['direction', 'contactsCreatedAfter']);
  });

  it('refuses schedule overrides for streams it does not pull', () => {
    const result = zomentum.settings.safeParse({ schedules: { 'shoprenter.orders': { kind: 'interval', everyMinutes: 5 } } });
    expect(issuesOf(result)[0].path).toBe('schedules.shoprenter.orders');
  });

  it('refuses unknown fields by name', () => {
    expect(issuesOf(zomentum.settings.safeParse({ quoteSyncType: true }))).toEqual([
      { path: 'quoteSyncType', message: 'unknown field' },
    ]);
  });
});

describe('Shoprenter -> MiniCRM settings', () => {
  it('defaults to Budapest time and projects enabled', () => {
    expect(shoprenter.settings.parse({})).toEqual({ statusMap: {}, disableProjects: false, schedules: {}, timeZone: 'Europe/Budapest' });
  });

  it('maps each Shoprenter status to a MiniCRM status with its name', () => {
    const result = shoprenter.settings.safeParse({ statusMap: { '1': { id: '3001' } } });
    expect(issuesOf(result)[0].path).toBe('statusMap.1.name');
  });

  it('refuses a cron override that is not a cron expression', () => {
    const result = shoprenter.settings.safeParse({
      schedules: { 'shoprenter.orders': { kind: 'cron', cron: 'at dawn', timeZone: 'Europe/Budapest' } },
    });
    expect(issuesOf(result)[0]).toMatchObject({ path: 'schedules.shoprenter.orders.cron' });
  });
});

describe('ZZap <-> RetailCRM settings', () => {
  const pair = (retailcrm: string, zzap: string) => ({
    retailcrm: { id: retailcrm, name: retailcrm },
    zzap: { id: zzap, name: `zzap ${zzap}` },
  });

  it('needs the RetailCRM store', () => {
    expect(issuesOf(zzap.settings.safeParse({}))[0].path).toBe('storeCode');
  });

  it('defaults to flag 1 only, matching by article, every 15 minutes, Moscow time', () => {
    expect(zzap.settings.parse({ storeCode: 'parts' })).toMatchObject({
      productMatching: 'article',
      syncIntervalMinutes: 15,
      statusZzapToCrm: true,
      statusCrmToZzap: false,
      processApiChanges: false,
      timeZone: 'Europe/Moscow',
    });
  });

  it('offers only the intervals of the list', () => {
    expect(zzap.settings.safeParse({ storeCode: 'parts', syncIntervalMinutes: 60 }).success).toBe(true);
    expect(issuesOf(zzap.settings.safeParse({ storeCode: 'parts', syncIntervalMinutes: 7 }))[0].path).toBe('syncIntervalMinutes');
  });

  it('allows processing API changes only with RetailCRM -> ZZap status sync', () => {
    expect(issuesOf(zzap.settings.safeParse({ storeCode: 'parts', processApiChanges: true }))).toEqual([
      { path: 'processApiChanges', message: 'processing API changes is only available when statusCrmToZzap is on' },
    ]);
    expect(zzap.settings.safeParse({ storeCode: 'parts', statusCrmToZzap: true, processApiChanges: true }).success).toBe(true);
  });

  it('refuses a status map that is not 1 to 1, naming the statuses', () => {
    const result = zzap.settings.safeParse({ storeCode: 'parts', statusMap: [pair('new', '1'), pair('new', '2')] });
    expect(issuesOf(result)).toEqual([
      { path: 'statusMap', message: "status map must be 1 to 1; mapped more than once: RetailCRM status 'new'" },
    ]);
  });

  it('refuses an unknown time zone', () => {
    expect(issuesOf(zzap.settings.safeParse({ storeCode: 'parts', timeZone: 'Mars/Olympus' }))[0].path).toBe('timeZone');
  });
});
