export type Env = Record<string, string | undefined>;

export interface TelemetryOptions {
  serviceName: string;
  serviceVersion?: string;
  /**
   * Port of the Prometheus /metrics endpoint; defaults to `<SERVICE>_PROMETHEUS_PORT` (e.g. MAPPING_PROMETHEUS_PORT,
   * like every other per-service setting), then PROMETHEUS_PORT. 0 or unset serves none.
   */
  prometheusPort?: number;
  /** Where OTEL_* and PROMETHEUS_PORT are read from; defaults to process.env. */
  env?: Env;
}

/** What startTelemetry sets up, resolved from its options and the standard OTEL_* variables. */
export interface TelemetryConfig {
  /** OTEL_SDK_DISABLED=true: no SDK at all, for every signal. */
  disabled: boolean;
  serviceName: string;
  serviceVersion?: string;
  /** OTLP/HTTP traces URL; unset when no endpoint is configured or OTEL_TRACES_EXPORTER excludes otlp. */
  tracesUrl?: string;
  /** OTLP/HTTP metrics URL; unset when no endpoint is configured or OTEL_METRICS_EXPORTER excludes otlp. */
  metricsUrl?: string;
  metricExportIntervalMs: number;
  prometheusPort?: number;
}

const DEFAULT_METRIC_EXPORT_INTERVAL_MS = 60_000;

export function resolveTelemetryConfig(options: TelemetryOptions, env: Env): TelemetryConfig {
  return {
    disabled: readString(env, 'OTEL_SDK_DISABLED')?.toLowerCase() === 'true',
    serviceName: readString(env, 'OTEL_SERVICE_NAME') ?? options.serviceName,
    serviceVersion: options.serviceVersion,
    tracesUrl: otlpUrl(env, 'TRACES', 'v1/traces'),
    metricsUrl: otlpUrl(env, 'METRICS', 'v1/metrics'),
    metricExportIntervalMs: readPositiveInteger(env, 'OTEL_METRIC_EXPORT_INTERVAL') ?? DEFAULT_METRIC_EXPORT_INTERVAL_MS,
    prometheusPort: resolvePrometheusPort(options, env) || undefined,
  };
}

/**
 * The OTLP URL of one signal, per the OTel spec: OTEL_EXPORTER_OTLP_<SIGNAL>_ENDPOINT is used as is,
 * OTEL_EXPORTER_OTLP_ENDPOINT gets the signal's path appended.
 */
function otlpUrl(env: Env, signal: 'TRACES' | 'METRICS', path: string): string | undefined {
  const exporters = readString(env, `OTEL_${signal}_EXPORTER`)?.split(',').map((name) => name.trim());
  if (exporters && !exporters.includes('otlp')) return undefined;
  const signalEndpoint = readString(env, `OTEL_EXPORTER_OTLP_${signal}_ENDPOINT`);
  if (signalEndpoint) return signalEndpoint;
  const endpoint = readString(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  return endpoint && `${endpoint.replace(/\/+$/, '')}/${path}`;
}

function resolvePrometheusPort(options: TelemetryOptions, env: Env): number {
  // Named after the service as given, not OTEL_SERVICE_NAME: the prefix is the service's config prefix.
  const servicePrefix = options.serviceName.toUpperCase().replace(/[^A-Z0-9]/g, '_');
  const fromEnv = readString(env, `${servicePrefix}_PROMETHEUS_PORT`) ?? readString(env, 'PROMETHEUS_PORT');
  const port = options.prometheusPort ?? Number(fromEnv ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error('The Prometheus port (prometheusPort or PROMETHEUS_PORT) must be an integer from 0 to 65535');
  }
  return port;
}

function readPositiveInteger(env: Env, name: string): number | undefined {
  const value = Number(readString(env, name));
  return Number.isInteger(value) && value > 0 ? value : undefined;
}

// The OTel spec treats an empty variable like an unset one.
function readString(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}
