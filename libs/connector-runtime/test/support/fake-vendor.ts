import { VendorAuthError, VendorUnavailableError, VendorValidationError } from '@junction/vendor-http';

export interface VendorCustomer {
  id: number;
  name: string;
  email: string;
  /** A record the vendor's API returns half-written: the connector cannot read it. */
  corrupt?: boolean;
}

export interface VendorContact {
  id: number;
  customerId: number;
  email: string;
}

export interface CustomerPage {
  items: VendorCustomer[];
  total: number;
}

/**
 * An in-memory stand-in for a vendor API: customers with ascending ids, token auth, and switches that make it
 * slow, flaky or crash-prone at the moments the tests need.
 */
export class FakeVendor {
  readonly customers: VendorCustomer[] = [];
  readonly contacts: VendorContact[] = [];
  /** The `afterId` of every page read, in order. */
  readonly pageReads: number[] = [];
  createCalls = 0;
  pageSize = 2;
  /** Awaited before each page is answered; tests hold a sync mid-run with it. */
  beforePage: (afterId: number) => Promise<void> = async () => undefined;
  /** Awaited before each customer is created; tests hold a create with it. */
  beforeCreate: () => Promise<void> = async () => undefined;
  /** The next read of the page after this id fails with a 503 (once). */
  unavailableOnceAfter?: number;
  /** The next create succeeds at the vendor, then the caller dies before it can record the id. */
  crashAfterNextCreate = false;
  private nextId = 1;

  constructor(readonly token: string) {}

  seed(count: number, overrides: Partial<VendorCustomer>[] = []): void {
    for (let i = 0; i < count; i++) {
      const id = this.nextId++;
      this.customers.push({ id, name: `Customer ${id}`, email: `customer${id}@example.test`, ...overrides[i] });
    }
  }

  async checkToken(token: string): Promise<void> {
    // Like many real APIs, the rejection echoes the credential it was given.
    if (token !== this.token) throw authError(`API token ${token} is not valid`);
  }

  async listCustomers(token: string, afterId: number): Promise<CustomerPage> {
    await this.checkToken(token);
    this.pageReads.push(afterId);
    await this.beforePage(afterId);
    if (this.unavailableOnceAfter === afterId) {
      this.unavailableOnceAfter = undefined;
      throw new VendorUnavailableError({
        vendor: 'fakevendor',
        method: 'GET',
        path: '/customers',
        status: 503,
        code: 'server_error',
        retryable: true,
        retryAfterMs: 50,
        reason: 'try again later',
        maybeCommitted: false,
      });
    }
    const items = this.customers.filter((customer) => customer.id > afterId).slice(0, this.pageSize);
    return { items, total: this.customers.length };
  }

  async findCustomerByEmail(token: string, email: string): Promise<VendorCustomer | undefined> {
    await this.checkToken(token);
    return this.customers.find((customer) => customer.email === email);
  }

  async createCustomer(token: string, input: { name: string; email: string }): Promise<number> {
    await this.checkToken(token);
    this.createCalls++;
    await this.beforeCreate();
    if (!input.email.includes('@')) {
      throw new VendorValidationError({
        vendor: 'fakevendor',
        method: 'POST',
        path: '/customers',
        status: 422,
        code: 'validation',
        retryable: false,
        reason: 'email is not an e-mail address',
        fieldErrors: { email: ['is not an e-mail address'] },
      });
    }
    const customer = { id: this.nextId++, ...input };
    this.customers.push(customer);
    if (this.crashAfterNextCreate) {
      this.crashAfterNextCreate = false;
      throw new Error('worker died after the vendor created the customer');
    }
    return customer.id;
  }

  async findContactByEmail(token: string, customerId: number, email: string): Promise<VendorContact | undefined> {
    await this.checkToken(token);
    return this.contacts.find((contact) => contact.customerId === customerId && contact.email === email);
  }

  async createContact(token: string, input: { customerId: number; email: string }): Promise<number> {
    await this.checkToken(token);
    if (!this.customers.some((customer) => customer.id === input.customerId)) throw new Error(`no customer ${input.customerId}`);
    const contact = { id: this.nextId++, ...input };
    this.contacts.push(contact);
    return contact.id;
  }
}

function authError(reason: string): VendorAuthError {
  return new VendorAuthError({
    vendor: 'fakevendor',
    method: 'GET',
    path: '/me',
    status: 401,
    statusText: 'Unauthorized',
    code: 'unauthorized',
    retryable: false,
    reason,
  });
}
