import { excerpt, missingPermissionIn, summarizeErrorBody } from './error-body';
import { createRedactor } from './redaction';

describe('summarizeErrorBody', () => {
  it.each([
    ['a Rails field map under errors', { errors: { email: ['has already been taken'] } }, { email: ['has already been taken'] }, 'email has already been taken'],
    [
      'a list of {field, message}',
      { errors: [{ field: 'email', message: 'is invalid' }, { field: 'name', message: 'Name is required' }] },
      { email: ['is invalid'], name: ['Name is required'] },
      'email is invalid; name: Name is required',
    ],
    ['a list of strings', { errors: ['Name is required'] }, { base: ['Name is required'] }, 'Name is required'],
    ['a single message', { message: 'Email is not valid' }, { base: ['Email is not valid'] }, 'Email is not valid'],
    [
      'RetailCRM errorMsg with an errors object',
      { success: false, errorMsg: 'Errors in the entity format', errors: { 'items[0].offer': 'Offer not found' } },
      { 'items[0].offer': ['Offer not found'] },
      'Errors in the entity format: items[0].offer: Offer not found',
    ],
    [
      'RetailCRM errorMsg with an errors list',
      { success: false, errorMsg: 'Validation error', errors: ['Order number is already used'] },
      { base: ['Order number is already used'] },
      'Validation error: Order number is already used',
    ],
    ['an error string', { error: 'Validation failed: Item can\'t be blank' }, { base: ['Validation failed: Item can\'t be blank'] }, 'Validation failed: Item can\'t be blank'],
    [
      'RepairShopr {record, errors: "a, b"}',
      { record: { id: null, email: 'x' }, errors: 'Email is not an email' },
      { base: ['Email is not an email'] },
      'Email is not an email',
    ],
    [
      'RepairShopr {success: false, message: [..]}',
      { success: false, message: ['Name can\'t be blank', 'Description can\'t be blank'], params: {} },
      { base: ['Name can\'t be blank', 'Description can\'t be blank'] },
      'Name can\'t be blank; Description can\'t be blank',
    ],
    [
      'RepairShopr bare field map',
      { customer_id: ['can\'t be blank'], date: ['can\'t be blank'] },
      { customer_id: ['can\'t be blank'], date: ['can\'t be blank'] },
      'customer_id can\'t be blank; date can\'t be blank',
    ],
    [
      'ZZap new API',
      { result: {}, success: false, code: 401, errors: { error: 'zzap-api-key не прошел проверку' } },
      { base: ['zzap-api-key не прошел проверку'] },
      'zzap-api-key не прошел проверку',
    ],
    ['an OAuth error', { error: 'invalid_client', error_description: 'Client authentication failed' }, { base: ['Client authentication failed'] }, 'Client authentication failed'],
    ['plain text (MiniCRM)', '  Unknown field: Foo\n', { base: ['Unknown field: Foo'] }, 'Unknown field: Foo'],
  ])('reads %s', (_shape, body, fieldErrors, message) => {
    expect(summarizeErrorBody(body)).toEqual({ fieldErrors, message });
  });

  it('finds nothing in bodies that carry no message', () => {
    expect(summarizeErrorBody(undefined)).toEqual({ fieldErrors: {} });
    expect(summarizeErrorBody({ success: false, record: { id: 1 } })).toEqual({ fieldErrors: {}, message: undefined });
    expect(summarizeErrorBody([1, 2])).toEqual({ fieldErrors: {} });
  });
});

describe('missingPermissionIn', () => {
  it('tells a missing permission from a wrong credential', () => {
    const repairShopr = 'Not authorized. Please ask account admin to update your group permissions.';
    expect(missingPermissionIn(repairShopr)).toBe(repairShopr);
    expect(missingPermissionIn('Access denied.')).toBe('Access denied.');
    expect(missingPermissionIn('Wrong "apiKey" value.')).toBeUndefined();
    expect(missingPermissionIn(undefined)).toBeUndefined();
  });
});

describe('excerpt', () => {
  const redact = createRedactor(['s3cr3t-value']);

  it('reduces an HTML page to its text on one line', () => {
    const html = '<html><head><title>502 Bad Gateway</title><style>body{color:red}</style></head>\n<body><h1>502 Bad Gateway</h1><hr><center>nginx</center></body></html>';
    expect(excerpt(html, redact)).toBe('502 Bad Gateway 502 Bad Gateway nginx');
  });

  it('redacts before truncating, so no part of a secret survives the cut', () => {
    const text = `${'x'.repeat(30)}s3cr3t-value and more`;
    const cut = excerpt(text, redact, 35);
    expect(cut).toBe(`${'x'.repeat(30)}[REDA…`);
    expect(cut).not.toContain('s3cr');
  });
});
