import { CONNECTORS } from '@junction/contracts';
import { CONNECTION_FORMS, CONNECTOR_NAMES, connectionRequest, visibleFields } from '../src/connection-forms';
import { deadLettersOf, type DeadLetter } from '../src/dead-letters';
import { choicesOf, defaultSettings, integrationKinds, scheduleStreams, type OpenApiDocument } from '../src/integration-schema';
import { progressFraction, progressText } from '../src/progress';
import { traceLink } from '../src/trace-link';

describe('connection forms', () => {
  it('cover every connector', () => {
    expect([...CONNECTOR_NAMES].sort()).toEqual([...CONNECTORS].sort());
    expect(Object.keys(CONNECTION_FORMS)).toHaveLength(CONNECTORS.length);
  });

  it('ask Shoprenter for Basic or OAuth credentials as the auth setting says', () => {
    expect(visibleFields('shoprenter', {}).map((field) => field.key)).toEqual(['apiUrl', 'auth', 'username', 'password']);
    expect(visibleFields('shoprenter', { auth: 'oauth' }).map((field) => field.key)).toEqual(['apiUrl', 'auth', 'clientId', 'clientSecret', 'tokenUrl']);
  });

  it('split values into settings and credentials, drop blanks, and name what is missing', () => {
    const values = { systemId: ' 12345 ', apiKey: 'secret', requestsPerMinute: '600', couponCodesField: '' };
    expect(connectionRequest('minicrm', values, 'create')).toEqual({
      request: { settings: { systemId: '12345', requestsPerMinute: 600 }, credentials: { apiKey: 'secret' } },
      missing: [],
    });
    expect(connectionRequest('zzap', { login: 'shop' }, 'create').missing).toEqual(['apiKey', 'password']);
  });

  it('keep the stored credentials on an update where none were typed', () => {
    expect(connectionRequest('retailcrm', { url: 'https://demo.retailcrm.ru' }, 'update')).toEqual({
      request: { settings: { url: 'https://demo.retailcrm.ru' } },
      missing: [],
    });
  });
});

describe('integration schema from /openapi.json', () => {
  const settings = {
    type: 'object',
    properties: {
      direction: { type: 'string', enum: ['pull_only', 'two_way'], default: 'two_way' },
      categoryMap: { type: 'object', default: { Hardware: 'Hardware' } },
      syncIntervalMinutes: { anyOf: [{ const: 5 }, { const: 15 }], default: 15 },
      storeCode: { type: 'string' },
      schedules: { type: 'object', default: {}, propertyNames: { enum: ['zzap.orders', 'retailcrm.order_history'] } },
    },
  };
  const document: OpenApiDocument = {
    paths: {
      '/v1/integrations': {
        post: { requestBody: { content: { 'application/json': { schema: { anyOf: [{ properties: { kind: { const: 'zzap-retailcrm' }, settings } }] } } } } },
      },
    },
  };

  it('names each kind with its connectors and settings', () => {
    expect(integrationKinds(document)).toEqual([expect.objectContaining({ kind: 'zzap-retailcrm', source: 'zzap', target: 'retailcrm', settings })]);
  });

  it('starts a new integration from the defaults, copied', () => {
    const defaults = defaultSettings(settings);
    expect(defaults).toEqual({ direction: 'two_way', categoryMap: { Hardware: 'Hardware' }, syncIntervalMinutes: 15, schedules: {} });
    (defaults['categoryMap'] as Record<string, string>)['Labor'] = 'Labor';
    expect(settings.properties.categoryMap.default).toEqual({ Hardware: 'Hardware' });
  });

  it('offers enums and unions of constants as choices, and the streams whose schedule can change', () => {
    expect(choicesOf(settings.properties.direction)).toEqual(['pull_only', 'two_way']);
    expect(choicesOf(settings.properties.syncIntervalMinutes)).toEqual([5, 15]);
    expect(choicesOf(settings.properties.storeCode)).toBeUndefined();
    expect(scheduleStreams(settings)).toEqual(['zzap.orders', 'retailcrm.order_history']);
  });
});

describe('dead letters of an integration', () => {
  const letter = (seq: number, payload: string): DeadLetter => ({
    seq, payload, originalSubject: 'cmd.minicrm.order.upsert', reason: 'x', consumer: 'c', failedAt: '', deliveries: 1,
  });
  it('are those whose envelope names it', () => {
    const letters = [letter(1, JSON.stringify({ integrationId: 'a' })), letter(2, JSON.stringify({ integrationId: 'b' })), letter(3, 'not json')];
    expect(deadLettersOf('a', letters).map((found) => found.seq)).toEqual([1]);
  });
});

describe('trace links', () => {
  const run = { traceId: '0af7651916cd43dd8448eb211c80319c', runId: 'run 1', connector: 'shoprenter' };
  it("open the run's own trace in Jaeger", () => {
    expect(traceLink('http://localhost:16686/', run)).toBe('http://localhost:16686/trace/0af7651916cd43dd8448eb211c80319c');
  });
  it('fill a template for another trace UI, and are absent without one', () => {
    expect(traceLink('https://grafana/explore?t={traceId}&q={runId}&s={connector}', run)).toBe(
      'https://grafana/explore?t=0af7651916cd43dd8448eb211c80319c&q=run%201&s=shoprenter',
    );
    expect(traceLink('  ', run)).toBeUndefined();
  });
  it('are absent for a run without a trace id, unless the template does without one', () => {
    const untraced = { ...run, traceId: null };
    expect(traceLink('http://localhost:16686', untraced)).toBeUndefined();
    expect(traceLink('https://traces/{traceId}', untraced)).toBeUndefined();
    expect(traceLink('https://runs/{connector}/{runId}', untraced)).toBe('https://runs/shoprenter/run%201');
  });
});

describe('progress', () => {
  it('is a share of the total, unknown without one', () => {
    expect(progressText({ done: 120, total: 2000 })).toBe('120 / 2000 (6%)');
    expect(progressText({ done: 7 })).toBe('7');
    expect(progressFraction({ done: 0, total: 0 })).toBe(1);
    expect(progressFraction({ done: 5, total: null })).toBeUndefined();
  });
});
