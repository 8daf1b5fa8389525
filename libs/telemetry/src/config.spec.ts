import { resolveTelemetryConfig } from './config';

describe('resolveTelemetryConfig', () => {
  const options = { serviceName: 'mapping', serviceVersion: '1.0.0' };

  it('exports nothing and serves no metrics endpoint when nothing is configured', () => {
    expect(resolveTelemetryConfig(options, {})).toEqual({
      disabled: false,
      serviceName: 'mapping',
      serviceVersion: '1.0.0',
      tracesUrl: undefined,
      metricsUrl: undefined,
      metricExportIntervalMs: 60_000,
      prometheusPort: undefined,
    });
  });

  it('appends the signal paths to OTEL_EXPORTER_OTLP_ENDPOINT', () => {
    const config = resolveTelemetryConfig(options, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel:4318/' });
    expect(config.tracesUrl).toBe('http://otel:4318/v1/traces');
    expect(config.metricsUrl).toBe('http://otel:4318/v1/metrics');
  });

  it('uses per-signal endpoints as given, ahead of the shared one', () => {
    const config = resolveTelemetryConfig(options, {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel:4318',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://tempo:4318/custom',
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://mimir:4318/otlp/v1/metrics',
    });
    expect(config.tracesUrl).toBe('http://tempo:4318/custom');
    expect(config.metricsUrl).toBe('http://mimir:4318/otlp/v1/metrics');
  });

  it('respects OTEL_TRACES_EXPORTER and OTEL_METRICS_EXPORTER without otlp', () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel:4318', OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none' };
    const config = resolveTelemetryConfig(options, env);
    expect(config.tracesUrl).toBeUndefined();
    expect(config.metricsUrl).toBeUndefined();
    expect(resolveTelemetryConfig(options, { ...env, OTEL_TRACES_EXPORTER: 'console, otlp' }).tracesUrl).toBe(
      'http://otel:4318/v1/traces',
    );
  });

  it('treats empty variables as unset', () => {
    const config = resolveTelemetryConfig(options, {
      OTEL_EXPORTER_OTLP_ENDPOINT: ' ',
      OTEL_SERVICE_NAME: '',
      OTEL_TRACES_EXPORTER: '',
      PROMETHEUS_PORT: '',
    });
    expect(config.tracesUrl).toBeUndefined();
    expect(config.serviceName).toBe('mapping');
    expect(config.prometheusPort).toBeUndefined();
  });

  it('reads OTEL_SDK_DISABLED case-insensitively', () => {
    expect(resolveTelemetryConfig(options, { OTEL_SDK_DISABLED: 'TRUE' }).disabled).toBe(true);
    expect(resolveTelemetryConfig(options, { OTEL_SDK_DISABLED: 'false' }).disabled).toBe(false);
  });

  it('lets OTEL_SERVICE_NAME override the service name', () => {
    expect(resolveTelemetryConfig(options, { OTEL_SERVICE_NAME: 'mapping-eu' }).serviceName).toBe('mapping-eu');
  });

  it('reads OTEL_METRIC_EXPORT_INTERVAL, ignoring nonsense', () => {
    expect(resolveTelemetryConfig(options, { OTEL_METRIC_EXPORT_INTERVAL: '5000' }).metricExportIntervalMs).toBe(5000);
    expect(resolveTelemetryConfig(options, { OTEL_METRIC_EXPORT_INTERVAL: '-1' }).metricExportIntervalMs).toBe(60_000);
  });

  it('takes the Prometheus port from the option first, then PROMETHEUS_PORT; 0 means none', () => {
    expect(resolveTelemetryConfig({ ...options, prometheusPort: 9464 }, { PROMETHEUS_PORT: '9000' }).prometheusPort).toBe(9464);
    expect(resolveTelemetryConfig(options, { PROMETHEUS_PORT: '9000' }).prometheusPort).toBe(9000);
    expect(resolveTelemetryConfig({ ...options, prometheusPort: 0 }, { PROMETHEUS_PORT: '9000' }).prometheusPort).toBeUndefined();
  });

  it('prefers the per-service MAPPING_PROMETHEUS_PORT, as laptop mode gives each service its own port', () => {
    const env = { PROMETHEUS_PORT: '9000', MAPPING_PROMETHEUS_PORT: '9101', SCHEDULER_PROMETHEUS_PORT: '9102' };
    expect(resolveTelemetryConfig(options, env).prometheusPort).toBe(9101);
    expect(resolveTelemetryConfig(options, { ...env, OTEL_SERVICE_NAME: 'scheduler' }).prometheusPort).toBe(9101);
    expect(resolveTelemetryConfig({ ...options, serviceName: 'connector-x' }, { CONNECTOR_X_PROMETHEUS_PORT: '9103' }).prometheusPort).toBe(9103);
  });

  it.each([['-1'], ['65536'], ['80.5'], ['metrics']])('rejects PROMETHEUS_PORT=%s', (value) => {
    expect(() => resolveTelemetryConfig(options, { PROMETHEUS_PORT: value })).toThrow(/integer from 0 to 65535/);
  });
});
