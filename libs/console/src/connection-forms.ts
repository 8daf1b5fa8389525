import type { ConnectorName } from '@junction/contracts';

/**
 * What each connector's connection asks for, as its README documents it: non-secret settings and credentials.
 * Credentials are written once and never shown again (the API never returns them).
 */
export interface ConnectionField {
  key: string;
  /** `setting` goes into `settings`, `credential` into `credentials` (stored encrypted by the connector). */
  kind: 'setting' | 'credential';
  input: 'text' | 'url' | 'password' | 'number' | 'select';
  required: boolean;
  options?: readonly string[];
  /** Shown only when another setting has this value (Shoprenter: Basic or OAuth credentials). */
  when?: { key: string; value: string };
  /** Defaults suit production; tests and unusual accounts change them. */
  advanced?: boolean;
  placeholder?: string;
}

const setting = (key: string, input: ConnectionField['input'], extra: Partial<ConnectionField> = {}): ConnectionField => ({
  key,
  kind: 'setting',
  input,
  required: false,
  ...extra,
});
const secret = (key: string, extra: Partial<ConnectionField> = {}): ConnectionField => ({
  key,
  kind: 'credential',
  input: 'password',
  required: true,
  ...extra,
});

export const CONNECTION_FORMS: Record<ConnectorName, readonly ConnectionField[]> = {
  zomentum: [
    secret('accessToken'),
    secret('refreshToken'),
    setting('baseUrl', 'url', { advanced: true, placeholder: 'https://api.zomentum.com/v2' }),
    setting('refreshUrl', 'url', { advanced: true, placeholder: 'https://api.zomentum.com/v1/oauth/access-token' }),
    setting('requestsPerMinute', 'number', { advanced: true, placeholder: '120' }),
  ],
  repairshopr: [
    setting('subdomain', 'text', { required: true, placeholder: 'acme' }),
    secret('apiToken'),
    setting('baseUrl', 'url', { advanced: true, placeholder: 'https://acme.repairshopr.com/api/v1' }),
  ],
  shoprenter: [
    setting('apiUrl', 'url', { required: true, placeholder: 'https://acme.api.myshoprenter.hu' }),
    setting('auth', 'select', { options: ['basic', 'oauth'] }),
    secret('username', { when: { key: 'auth', value: 'basic' } }),
    secret('password', { when: { key: 'auth', value: 'basic' } }),
    secret('clientId', { when: { key: 'auth', value: 'oauth' } }),
    secret('clientSecret', { when: { key: 'auth', value: 'oauth' } }),
    setting('tokenUrl', 'url', { advanced: true, when: { key: 'auth', value: 'oauth' } }),
  ],
  minicrm: [
    setting('systemId', 'text', { required: true, placeholder: '12345' }),
    secret('apiKey'),
    setting('couponCodesField', 'text', { placeholder: 'Text1301' }),
    setting('baseUrl', 'url', { advanced: true, placeholder: 'https://r3.minicrm.hu' }),
    setting('requestsPerMinute', 'number', { advanced: true, placeholder: '60' }),
  ],
  zzap: [
    secret('apiKey'),
    secret('login', { input: 'text' }),
    secret('password'),
    setting('baseUrl', 'url', { advanced: true, placeholder: 'https://api.zzap.pro/webservice/datasharing.asmx' }),
    setting('rowCount', 'number', { advanced: true, placeholder: '1000' }),
  ],
  retailcrm: [
    setting('url', 'url', { required: true, placeholder: 'https://demo.retailcrm.ru' }),
    secret('apiKey'),
  ],
};

export const CONNECTOR_NAMES = Object.keys(CONNECTION_FORMS) as ConnectorName[];

/** The fields that apply with these values (a Shoprenter connection shows Basic or OAuth credentials). */
export function visibleFields(connector: ConnectorName, values: Record<string, string>): ConnectionField[] {
  return CONNECTION_FORMS[connector].filter(
    (field) => !field.when || (values[field.when.key] || firstOption(connector, field.when.key)) === field.when.value,
  );
}

function firstOption(connector: ConnectorName, key: string): string | undefined {
  return CONNECTION_FORMS[connector].find((field) => field.key === key)?.options?.[0];
}

export interface ConnectionRequest {
  settings: Record<string, string | number>;
  /** Absent when nothing was typed: on an update the stored credentials are kept. */
  credentials?: Record<string, string>;
}

/**
 * The settings and credentials a form's values make, and the required fields left empty. Blank fields are left out
 * (the connector's defaults apply); when editing, blank credentials keep the stored ones, so none are required.
 */
export function connectionRequest(
  connector: ConnectorName,
  values: Record<string, string>,
  mode: 'create' | 'update',
): { request: ConnectionRequest; missing: string[] } {
  const settings: Record<string, string | number> = {};
  const credentials: Record<string, string> = {};
  const missing: string[] = [];
  for (const field of visibleFields(connector, values)) {
    const value = (values[field.key] ?? '').trim();
    if (!value) {
      if (field.required && (field.kind === 'setting' || mode === 'create')) missing.push(field.key);
      continue;
    }
    if (field.kind === 'credential') credentials[field.key] = value;
    else settings[field.key] = field.input === 'number' && /^\d+$/.test(value) ? Number(value) : value;
  }
  const anyCredential = Object.keys(credentials).length > 0;
  return { request: { settings, ...(anyCredential && { credentials }) }, missing };
}
