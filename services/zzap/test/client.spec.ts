import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { VendorSchemaError } from '@junction/vendor-http';
import { ZzapClient, ZzapCredentialsError, ZzapRefusedError } from '../src/client';

// The client against a bare HTTP server answering what ZZap might: refusals in HTTP 200 bodies, malformed answers.

let server: Server;
let baseUrl: string;
/** The body the server answers next, and the form it received last. */
let answer = '';
let received = new URLSearchParams();

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received = new URLSearchParams(body);
      response.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' }).end(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webservice/datasharing.asmx`;
});

afterAll(() => new Promise((resolve) => server.close(resolve)));

const xml = (json: unknown) => `<?xml version="1.0" encoding="utf-8"?>\n<string xmlns="http://tempuri.org/">${JSON.stringify(json)}</string>`;

/** A key of its own per test: the rate limiter spaces calls with one key 3.5 s apart. */
function client(apiKey: string) {
  return new ZzapClient({ baseUrl, rowCount: 100 }, { apiKey, login: 'seller@parts.example', password: 'pa55-word' }, { maxAttempts: 1 });
}

it('sends the credentials and parameters as form fields and reads the table out of the XML string', async () => {
  answer = xml({ error: '', row_count: 1, table: [{ code_track: 1, descr_track: 'Новый', extra: true }] });
  expect(await client('key-a').codesTrack()).toEqual([{ code_track: 1, descr_track: 'Новый' }]);
  expect(Object.fromEntries(received)).toEqual({ login: 'seller@parts.example', password: 'pa55-word', api_key: 'key-a' });
});

it('turns refusal texts into errors that say which credential or what ZZap refused', async () => {
  answer = xml({ error: 'Неверный api_key' });
  await expect(client('key-b').codesTrack()).rejects.toMatchObject({ constructor: ZzapCredentialsError, rejected: 'api_key', refusal: 'Неверный api_key' });
  answer = xml({ error: 'Неверный логин или пароль' });
  await expect(client('key-c').codesTrack()).rejects.toMatchObject({ constructor: ZzapCredentialsError, rejected: 'login' });
  answer = xml({ error: 'Заказ не найден' });
  await expect(client('key-d').setOrderStatus('1', '2')).rejects.toMatchObject({ constructor: ZzapRefusedError, refusal: 'Заказ не найден' });
});

it('reports a malformed answer clearly, without the credentials', async () => {
  answer = '<html>pa55-word key-e</html>';
  const notXml = await client('key-e').codesTrack().catch((error: unknown) => error);
  expect(notXml).toBeInstanceOf(VendorSchemaError);
  expect((notXml as Error).message).toContain('expected an XML <string> element holding JSON');
  expect(`${(notXml as VendorSchemaError).message} ${(notXml as VendorSchemaError).bodyExcerpt}`).not.toMatch(/pa55-word|key-e/);

  answer = xml({ error: '', table: [{ code_order: 'x' }] });
  await expect(client('key-f').sellerOrders({ rowCount: 10 })).rejects.toThrow(/table\.0\.code_order: expected number/);
});
