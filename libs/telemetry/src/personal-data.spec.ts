import { scrubPersonalData, scrubPersonalFields } from './personal-data';

describe('scrubPersonalData', () => {
  it('replaces e-mail addresses, also URL-encoded and with accents', () => {
    expect(scrubPersonalData('Email olive.o_neil+crm@outside.example.com has already been taken')).toBe(
      'Email [email] has already been taken',
    );
    expect(scrubPersonalData('/customers?email=olive%40outside.example.com&page=1')).toBe('/customers?email=[email]&page=1');
    expect(scrubPersonalData('kovács.éva@példa.hu')).toBe('[email]');
  });

  it.each(['+36 30 123 4567', '+36301234567', '+7 (495) 123-45-67', '(555) 123-4567', '555-123-4567', '06 30 / 123 4567', '01.23.45.67.89'])(
    'replaces the phone number %s',
    (phone) => expect(scrubPersonalData(`Phone ${phone} is invalid.`)).toBe('Phone [phone] is invalid.'),
  );

  it('replaces a phone number in parentheses or after a scheme', () => {
    expect(scrubPersonalData('Olive (+36 30 123 4567), tel:+36301234567')).toBe('Olive ([phone]), tel:[phone]');
  });

  it.each([
    ['a vendor id', 'customer 31234567 not found'],
    ['a bare number', 'order 06301234567'],
    ['a date and time', 'must be after 2026-01-12 09:30:11 (12.01.2026)'],
    ['an ISO timestamp', '"time":"2026-12-05T21:58:48.546Z"'],
    ['a uuid', 'connection 12345678-1234-4567-8901-234567890123'],
    ['a hex trace id', '"trace_id":"1234567890123456abcdef0123456789"'],
    ['an IP address and port', 'connect ECONNREFUSED 192.168.100.200:4222'],
    ['a decimal and a JSON number', '{"total":1234567.89,"seq":12345678}'],
    ['a short number in parentheses', 'estimate (1234567) exists'],
  ])('leaves %s alone', (_what, text) => expect(scrubPersonalData(text)).toBe(text));
});

describe('scrubPersonalFields', () => {
  it('replaces what contact fields hold whatever its shape, keeps messages about them, and scrubs other strings', () => {
    const body = {
      message: ['Email olive@outside.example.com has already been taken'],
      errors: { email: ['has already been taken'], phone: 'must have 11 digits' },
      params: { business_name: 'Outside LLC', email: 'olive@outside', phone: '06301234567', mobile: 36301234567, no_email: false },
      contacts: [{ emails: ['a@b.example.com'], fax: '' }],
    };
    expect(scrubPersonalFields(body)).toEqual({
      message: ['Email [email] has already been taken'],
      errors: { email: ['has already been taken'], phone: 'must have 11 digits' },
      params: { business_name: 'Outside LLC', email: '[email]', phone: '[phone]', mobile: '[phone]', no_email: false },
      contacts: [{ emails: ['[email]'], fax: '' }],
    });
    expect(body.params.email).toBe('olive@outside');
  });
});
