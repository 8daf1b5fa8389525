import type { ConnectionTestResult } from '@junction/contracts';
import { VendorAuthError, VendorNotFoundError } from '@junction/vendor-http';
import { clientFor, type MContext } from './context';
import { rememberProducts } from './products';
import { baseUrlOf } from './settings';
import { checkSetup } from './setup';

/**
 * Lists the products (categories) in detail: the Order product, then the Webshop product must be set up (and are kept
 * for the connection's orders). On success the order statuses are the statuses of the Order product's cards (its
 * project schema), read afresh every time.
 */
export async function testConnection(ctx: MContext): Promise<ConnectionTestResult> {
  const { settings } = ctx.connection;
  const { systemId, couponCodesField } = settings;
  const client = clientFor(ctx);
  let categories;
  try {
    categories = await client.categories();
  } catch (error) {
    if (error instanceof VendorAuthError) {
      return {
        ok: false,
        message:
          `MiniCRM refused SystemId ${systemId} with this API key (${error.status} Unauthorized): the SystemId (the number ` +
          'after r3.minicrm.hu/ in the address) is unknown or the API key is wrong or revoked; the API also needs the ' +
          'Professional plan with REST API access',
      };
    }
    if (error instanceof VendorNotFoundError) {
      return { ok: false, message: `No MiniCRM API answers at ${baseUrlOf(settings)}: check the address` };
    }
    throw error;
  }
  const setup = checkSetup(systemId, categories);
  if (!setup.ok) return { ok: false, message: setup.message };
  const { order, webshop } = setup.products;
  rememberProducts(ctx, setup.products);
  const schema = await client.projectSchema(order.Id);
  if (couponCodesField && !schema.fields.includes(couponCodesField)) {
    return {
      ok: false,
      message: `The Order product "${order.Name}" has no field ${couponCodesField} for the coupon codes: check the field's API name`,
    };
  }
  return {
    ok: true,
    message: `Connected to MiniCRM system ${systemId}: Order product "${order.Name}" with ${schema.statuses.length} order statuses, Webshop product "${webshop.Name}"`,
    orderStatuses: schema.statuses,
    details: { systemId, orderCategoryId: order.Id, webshopCategoryId: webshop.Id },
  };
}
