import { PermanentError } from '@junction/messaging';
import type { MiniCrmClient } from './client';
import type { MContext } from './context';
import { baseUrlOf } from './settings';
import { checkSetup, type IntegrationProducts } from './setup';

/**
 * How long a connection's Order and Webshop products are used without reading them again. A system's products
 * change only when an administrator sets one up, so one read serves every order of a sync (60 requests a minute
 * go a long way further without a category list per order).
 */
const PRODUCTS_TTL_MS = 10 * 60_000;

interface Known {
  /** The system and host they were read from: a connection whose settings changed reads them again. */
  system: string;
  products: Promise<IntegrationProducts>;
  readAt: number;
}

/** Per connection id, in this process. */
const known = new Map<string, Known>();

const systemOf = (ctx: MContext) => `${ctx.connection.settings.systemId}@${baseUrlOf(ctx.connection.settings)}`;

function fresh(ctx: MContext): Known | undefined {
  const entry = known.get(ctx.connection.id);
  return entry && entry.system === systemOf(ctx) && Date.now() - entry.readAt < PRODUCTS_TTL_MS ? entry : undefined;
}

/** Reads the products and keeps them; a failed read or a system not set up for orders is not kept, so asks again. */
function read(ctx: MContext, client: MiniCrmClient): Promise<IntegrationProducts> {
  const products = client.categories().then((categories) => {
    const setup = checkSetup(ctx.connection.settings.systemId, categories);
    if (!setup.ok) throw new PermanentError(setup.message);
    return setup.products;
  });
  const entry = { system: systemOf(ctx), products, readAt: Date.now() };
  known.set(ctx.connection.id, entry);
  products.catch(() => {
    if (known.get(ctx.connection.id) === entry) known.delete(ctx.connection.id);
  });
  return products;
}

/**
 * The connection's Order and Webshop products, read only when a lookup or create needs them and then kept for
 * `PRODUCTS_TTL_MS` (commands running side by side share one read). A system without them cannot take orders until
 * set up: asked again on every command until it is.
 */
export function integrationProducts(ctx: MContext, client: MiniCrmClient): () => Promise<IntegrationProducts> {
  return () => fresh(ctx)?.products ?? read(ctx, client);
}

/** Keeps what a connection test just read, so orders use the products as they are now. */
export function rememberProducts(ctx: MContext, products: IntegrationProducts): void {
  known.set(ctx.connection.id, { system: systemOf(ctx), products: Promise.resolve(products), readAt: Date.now() });
}

/** MiniCRM refused a write that named a product: it may have been removed since, so the next command reads them. */
export function forgetProducts(ctx: MContext): void {
  known.delete(ctx.connection.id);
}
