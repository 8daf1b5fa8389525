import { decodeJsonBody, InvalidBodyError } from './body';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('decodeJsonBody', () => {
  it('decodes a UTF-8 JSON document', () => {
    expect(decodeJsonBody(bytes('{"id":"ár-1","n":[1,2]}'))).toEqual({ id: 'ár-1', n: [1, 2] });
    expect(decodeJsonBody(bytes('null'))).toBeNull();
  });

  it.each([
    ['an empty body', new Uint8Array(0), 'the body is empty; a JSON document was expected'],
    ['binary data', Uint8Array.from([0xff, 0xfe, 0x00, 0x81]), 'the body is not UTF-8 text (4 bytes of binary data)'],
    ['text that is not JSON', bytes('not json{'), `the body is not JSON: Unexpected token 'o', "not json{" is not valid JSON`],
    ['truncated JSON', bytes('{"id":"a'), 'the body is not JSON: Unterminated string in JSON at position 8'],
  ])('names what is wrong with %s', (_name, body, reason) => {
    expect(() => decodeJsonBody(body)).toThrow(new InvalidBodyError(reason));
  });

  it('keeps the reason short for a huge body', () => {
    let error: unknown;
    try {
      decodeJsonBody(bytes('x'.repeat(500_000)));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InvalidBodyError);
    expect((error as Error).message.length).toBeLessThan(120);
  });
});
