/** What a trace link is made of: the run's own trace id (null when tracing was off), its id and connector. */
export interface TracedRun {
  traceId: string | null;
  runId: string;
  connector: string;
}

const PLACEHOLDER = /\{(traceId|runId|connector)\}/g;

/**
 * Where an operator opens a sync run's trace: the trace its run span is in. `traceUi` is either a Jaeger base URL
 * (http://localhost:16686, whose /trace/<id> page shows one trace) or a template for another trace UI with
 * {traceId}, {runId} and {connector} placeholders (https://grafana.example/explore?traceId={traceId}). No link
 * without a trace UI, or for a run without a trace id when the link needs one.
 */
export function traceLink(traceUi: string | undefined, run: TracedRun): string | undefined {
  const base = traceUi?.trim();
  if (!base) return undefined;
  const placeholders = (text: string) => [...text.matchAll(PLACEHOLDER)].map(([, name]) => name as keyof TracedRun);
  const template = placeholders(base).length > 0 ? base : `${base.replace(/\/+$/, '')}/trace/{traceId}`;
  if (placeholders(template).some((name) => !run[name])) return undefined;
  return template.replace(PLACEHOLDER, (_, name: keyof TracedRun) => encodeURIComponent(run[name] ?? ''));
}
