/**
 * Where an operator opens a sync run's trace. The run's span carries `junction.sync.run.id`, and its service is
 * the connector's, so a Jaeger search by that tag finds it. `traceUi` is either a Jaeger base URL
 * (http://localhost:16686) or a template with {runId} and {connector} placeholders for another trace UI.
 */
export function traceLink(traceUi: string | undefined, run: { runId: string; connector: string }): string | undefined {
  const base = traceUi?.trim();
  if (!base) return undefined;
  if (base.includes('{runId}')) {
    return base.replaceAll('{runId}', encodeURIComponent(run.runId)).replaceAll('{connector}', encodeURIComponent(run.connector));
  }
  const tags = JSON.stringify({ 'junction.sync.run.id': run.runId });
  return `${base.replace(/\/+$/, '')}/search?service=${encodeURIComponent(run.connector)}&tags=${encodeURIComponent(tags)}`;
}
