/** A shop with its API settings: the legacy API user (Basic) and one custom API client (OAuth2). */
export interface Shop {
  id: number;
  name: string;
  apiUsername: string;
  apiPassword: string;
  clientId: string;
  clientSecret: string;
}

export interface AccessToken {
  id: number;
  shopId: number;
  clientId: string;
  accessToken: string;
  /** Epoch ms on the sandbox clock. */
  expiresAt: number;
}

/** An order status with its Hungarian description folded in (the shop has one language). */
export interface OrderStatus {
  innerId: number;
  shopId: number;
  name: string;
  color: string;
}

export interface Coupon {
  innerId: number;
  shopId: number;
  code: string;
  description: string;
  discountType: 'PERCENT' | 'FIXED';
  /** Percent for PERCENT, gross HUF for FIXED. */
  discountValue: number;
  dateCreated: string;
  dateUpdated: string;
}

export interface Order {
  innerId: number;
  shopId: number;
  invoiceId: string;
  invoicePrefix: string;
  firstname: string;
  lastname: string;
  email: string;
  phone: string;
  taxNumber: string;
  comment: string;
  shippingFirstname: string;
  shippingLastname: string;
  shippingCompany: string;
  shippingAddress1: string;
  shippingCity: string;
  shippingPostcode: string;
  shippingCountryName: string;
  shippingMethodName: string;
  /** Gross shipping fee in HUF. */
  shippingCost: number;
  paymentFirstname: string;
  paymentLastname: string;
  paymentCompany: string;
  paymentAddress1: string;
  paymentCity: string;
  paymentPostcode: string;
  paymentCountryName: string;
  paymentMethodName: string;
  paymentMethodCode: string;
  /** Inner id of the order status; 0 is an abandoned cart. */
  orderStatusId: number;
  couponId: number | null;
  dateCreated: string;
  dateUpdated: string;
}

/** A line item; the API shows `quantity` only as `stock1` (taken from warehouse 1). */
export interface OrderProduct {
  innerId: number;
  orderId: number;
  productInnerId: number;
  name: string;
  sku: string;
  /** Net unit price in HUF. */
  price: number;
  taxRate: number;
  quantity: number;
}
