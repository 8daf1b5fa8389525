import { json } from './http/reply';
import type { SandboxRequest } from './http/request';
import { Router } from './router';

const answer = (name: string) => () => json(200, { name });

async function nameOf(router: Router<null>, method: string, path: string): Promise<unknown> {
  const match = router.match(method, path);
  if (!match) return undefined;
  const reply = await match.handler({} as SandboxRequest, null);
  return { name: (JSON.parse(reply.body) as { name: string }).name, params: match.params };
}

describe('Router', () => {
  const router = new Router<null>()
    .get('/products/categories', answer('categories'))
    .get('/products/:id', answer('product'))
    .put('/products/:id', answer('update'))
    .group('/:subdomain/api/v1', (api) => api.get('/customers/:id', answer('customer')));

  it('matches method and path, literal routes before parameters registered after them', async () => {
    expect(await nameOf(router, 'GET', '/products/categories')).toEqual({ name: 'categories', params: {} });
    expect(await nameOf(router, 'GET', '/products/42')).toEqual({ name: 'product', params: { id: '42' } });
    expect(await nameOf(router, 'PUT', '/products/42')).toEqual({ name: 'update', params: { id: '42' } });
    expect(await nameOf(router, 'DELETE', '/products/42')).toBeUndefined();
  });

  it('applies group prefixes with their own parameters and decodes parameter values', async () => {
    expect(await nameOf(router, 'GET', '/acme/api/v1/customers/a%20b')).toEqual({
      name: 'customer',
      params: { subdomain: 'acme', id: 'a b' },
    });
  });

  it('ignores trailing and doubled slashes but not missing segments', async () => {
    expect(await nameOf(router, 'GET', '/products/42/')).toEqual({ name: 'product', params: { id: '42' } });
    expect(await nameOf(router, 'GET', '//products//42')).toEqual({ name: 'product', params: { id: '42' } });
    expect(await nameOf(router, 'GET', '/products')).toBeUndefined();
  });

  it('does not match a parameter that is not valid percent-encoding', async () => {
    expect(await nameOf(router, 'GET', '/products/%E0%A4%A')).toBeUndefined();
  });
});
