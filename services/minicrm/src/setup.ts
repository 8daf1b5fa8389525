import type { MCategory } from './client';

/** The two products (categories) the Shoprenter integration needs in a MiniCRM system. */
export interface IntegrationProducts {
  /** "Megrendelés": holds one card per order; its statuses are the order statuses. */
  order: MCategory;
  /** "Webshop": holds one data sheet per buyer. */
  webshop: MCategory;
}

export type SetupCheck = { ok: true; products: IntegrationProducts } | { ok: false; message: string };

// Only when MiniCRM gives no category type (the detailed list's shape is not documented) do names decide.
const NAMES = { Order: /^(order|orders|megrendelés|megrendelések)$/i, Webshop: /^webshop$/i };

function productOf(categories: MCategory[], type: keyof typeof NAMES): MCategory | undefined {
  return categories.find((category) => (category.Type ? category.Type === type : NAMES[type].test(category.Name.trim())));
}

/**
 * MiniCRM's setup order: the Order product first, then the Webshop product (Webshop cannot be added without Order).
 * The message says which step is missing.
 */
export function checkSetup(systemId: string, categories: MCategory[]): SetupCheck {
  const order = productOf(categories, 'Order');
  const webshop = productOf(categories, 'Webshop');
  if (!order) {
    return {
      ok: false,
      message: `MiniCRM system ${systemId} has no Order (Megrendelés) product: set up the Order product first, then the Webshop product`,
    };
  }
  if (!webshop) {
    return { ok: false, message: `MiniCRM system ${systemId} has the Order product, but the Webshop product is missing: add the Webshop product` };
  }
  return { ok: true, products: { order, webshop } };
}
