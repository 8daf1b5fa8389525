import { forwardsRetailCrmChange, forwardsZzapChange, isEcho } from './status-flags';

const flags = (statusZzapToCrm: boolean, statusCrmToZzap: boolean, processApiChanges: boolean) => ({
  statusZzapToCrm,
  statusCrmToZzap,
  processApiChanges,
});

describe('status sync flags', () => {
  it('never forwards a change Junction made itself', () => {
    expect(isEcho('junction')).toBe(true);
    expect(forwardsZzapChange(flags(true, true, true), 'junction')).toBe(false);
    expect(forwardsRetailCrmChange(flags(true, true, true), 'junction')).toBe(false);
  });

  it('flag 1 alone forwards ZZap changes only', () => {
    expect(forwardsZzapChange(flags(true, false, false), 'user')).toBe(true);
    expect(forwardsZzapChange(flags(true, false, false), 'system')).toBe(true);
    expect(forwardsRetailCrmChange(flags(true, false, false), 'user')).toBe(false);
  });

  it('flag 2 forwards RetailCRM changes made by people and RetailCRM automation, not other API clients', () => {
    expect(forwardsZzapChange(flags(false, true, false), 'user')).toBe(false);
    expect(forwardsRetailCrmChange(flags(false, true, false), 'user')).toBe(true);
    expect(forwardsRetailCrmChange(flags(false, true, false), 'system')).toBe(true);
    expect(forwardsRetailCrmChange(flags(false, true, false), 'api_client')).toBe(false);
  });

  it('flag 3 adds changes other services made through the API', () => {
    expect(forwardsRetailCrmChange(flags(false, true, true), 'api_client')).toBe(true);
  });
});
