// Vendor-shaped records for unit tests, after the shapes of Shoprenter's own fixtures (strings everywhere, empty
// values as '', null or {}).

const API = 'https://demo.api.myshoprenter.hu';
const b64 = (text: string) => Buffer.from(text).toString('base64');

export const statusId = (innerId: number) => b64(`orderStatus-order_status_id=${innerId}`);
export const languageId = (innerId: number) => b64(`language-language_id=${innerId}`);

export function rawStatus(innerId: number) {
  return { href: `${API}/orderStatuses/${statusId(innerId)}`, id: statusId(innerId), innerId: String(innerId) };
}

export function rawDescription(statusInnerId: number, language: number, name: string | Record<string, never>) {
  return {
    id: b64(`orderStatusDescription-order_status_id=${statusInnerId}&language_id=${language}`),
    name,
    color: '#ff00ff',
    orderStatus: { href: `${API}/orderStatuses/${encodeURIComponent(statusId(statusInnerId))}` },
    language: { href: `${API}/languages/${languageId(language)}` },
  };
}

export function rawOrder(innerId: number, overrides: Record<string, unknown> = {}) {
  const id = b64(`order-order_id=${innerId}`);
  return {
    href: `${API}/orderExtend/${id}`,
    id,
    innerId: String(innerId),
    invoiceId: '0',
    invoicePrefix: '',
    firstname: 'Anna',
    lastname: 'Nagy',
    phone: '+36201234567',
    fax: {},
    email: 'anna@example.hu',
    comment: '',
    shippingFirstname: 'Anna',
    shippingLastname: 'Nagy',
    shippingCompany: '',
    shippingAddress1: 'Petőfi utca 1.',
    shippingAddress2: '',
    shippingCity: 'Budapest',
    shippingPostcode: '1052',
    shippingZoneName: '',
    shippingCountryName: 'Magyarország',
    shippingCountry: { id: 'x', name: 'Hungary', isoCode2: 'HU' },
    shippingMethodName: 'GLS futárszolgálat',
    paymentFirstname: 'Anna',
    paymentLastname: 'Nagy',
    paymentCompany: 'Nagy és Társa Kft.',
    paymentAddress1: 'Petőfi utca 1.',
    paymentAddress2: null,
    paymentCity: 'Budapest',
    paymentPostcode: '1052',
    paymentZoneName: '',
    paymentCountryName: 'Magyarország',
    paymentCountry: null,
    paymentMethodName: 'Utánvét',
    total: '9980.0000',
    value: '1.00000000',
    dateCreated: '2024-07-01T10:00:00',
    dateUpdated: '2024-07-02T11:30:00',
    customer: null,
    orderStatus: { href: `${API}/orderStatuses/${statusId(1)}` },
    currency: { id: 'c', code: 'HUF', value: '1.00000000' },
    coupon: null,
    orderProducts: [
      {
        id: b64(`orderProduct-order_product_id=${innerId * 10}`),
        name: 'Kerámia bögre',
        sku: 'MUG-001',
        modelNumber: {},
        price: '2000.0000',
        total: '4000.0000',
        taxRate: '27.0000',
        stock1: '2',
        stock2: '0',
        stock3: '0',
        stock4: '0',
        product: { href: `${API}/products/${b64('product-product_id=101')}` },
      },
    ],
    orderTotals: [
      { type: 'SUB_TOTAL', name: 'Nettó részösszeg:', value: '4000.0000' },
      { type: 'TAX', name: 'ÁFA (27%):', value: '1080.0000' },
      { type: 'SHIPPING', name: 'GLS futárszolgálat:', value: '1490.0000' },
      { type: 'TOTAL', name: 'Bruttó végösszeg:', value: '6570.0000' },
    ],
    ...overrides,
  };
}
