import { apiRootOf, RetailCrmSettings } from '../src/settings';

describe('RetailCrmSettings', () => {
  it('takes the account URL and finds the API under it, also from a pasted API URL', () => {
    for (const url of ['https://demo.retailcrm.ru', 'https://demo.retailcrm.ru/', ' https://demo.retailcrm.ru/api/v5/ ', 'https://demo.retailcrm.ru/api']) {
      expect(apiRootOf(RetailCrmSettings.parse({ url }))).toBe('https://demo.retailcrm.ru/api');
    }
  });

  it('refuses what is not an http(s) URL', () => {
    expect(RetailCrmSettings.safeParse({ url: 'demo.retailcrm.ru' }).success).toBe(false);
    expect(RetailCrmSettings.safeParse({ url: 'ftp://demo.retailcrm.ru' }).success).toBe(false);
  });
});
