import { context, ROOT_CONTEXT, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';
import { JUNCTION_ATTRIBUTES } from '@junction/telemetry';

export function runtimeTracer() {
  return trace.getTracer('@junction/connector-runtime');
}

/** What a sync run's spans say about it; ids only. */
export interface RunDescription {
  connector: string;
  connectionId: string;
  stream: string;
  entityType: string;
  runId: string;
  integrationId?: string | null;
}

export function runAttributes(run: RunDescription): Attributes {
  return {
    [JUNCTION_ATTRIBUTES.connector]: run.connector,
    [JUNCTION_ATTRIBUTES.connection]: run.connectionId,
    [JUNCTION_ATTRIBUTES.stream]: run.stream,
    [JUNCTION_ATTRIBUTES.entityType]: run.entityType,
    [JUNCTION_ATTRIBUTES.runId]: run.runId,
    ...(run.integrationId ? { [JUNCTION_ATTRIBUTES.integration]: run.integrationId } : {}),
  };
}

/**
 * How many record traces a run's span links to: its first records'. The SDK caps only the links a span starts with;
 * every one added later stays in memory until the run ends (100,000 links, 15 MB, in a 100,000-order pull) and is
 * exported with it. Every record's trace links to its run, however many.
 */
export const RUN_RECORD_LINKS = 128;

/** A sync run's span, what it is about, and how many record traces it links to so far. */
export interface RunTrace {
  span: Span;
  description: RunDescription;
  linkedRecords: number;
}

/**
 * Runs `work` in a trace of its own for one pulled record: the record's event and everything it leads to in other
 * services hang under it. The record's trace links to the run, and the run to the first RUN_RECORD_LINKS records.
 */
export function inRecordTrace<T>(run: RunTrace, recordKey: string, work: (span: Span) => Promise<T>): Promise<T> {
  const { connector, stream } = run.description;
  const span = runtimeTracer().startSpan(
    `sync record ${connector}.${stream}`,
    {
      root: true,
      links: [{ context: run.span.spanContext() }],
      attributes: { ...runAttributes(run.description), [JUNCTION_ATTRIBUTES.recordKey]: recordKey },
    },
    ROOT_CONTEXT,
  );
  if (run.linkedRecords < RUN_RECORD_LINKS) {
    run.span.addLink({ context: span.spanContext() });
    run.linkedRecords += 1;
  }
  return context.with(trace.setSpan(ROOT_CONTEXT, span), async () => {
    try {
      return await work(span);
    } catch (error) {
      markFailed(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * Runs a batch of commands in a trace of its own: the vendor calls they share hang under its span, which links to each
 * command's delivery span (`commands`), and each of those links back. Each command keeps its own span and outcome.
 */
export function inBatchTrace<T>(name: string, attributes: Attributes, commands: Span[], work: () => Promise<T>): Promise<T> {
  const span = runtimeTracer().startSpan(
    name,
    {
      root: true,
      links: commands.map((command) => ({ context: command.spanContext() })),
      attributes: { ...attributes, 'messaging.batch.message_count': commands.length },
    },
    ROOT_CONTEXT,
  );
  for (const command of commands) command.addLink({ context: span.spanContext() });
  return context.with(trace.setSpan(ROOT_CONTEXT, span), async () => {
    try {
      return await work();
    } catch (error) {
      markFailed(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Only the error's class: messages can quote the vendor, and vendors quote personal data. */
export function markFailed(span: Span, error: unknown, code?: string): void {
  span.setAttribute('error.type', code ?? (error instanceof Error ? error.constructor.name : 'unknown'));
  span.setStatus({ code: SpanStatusCode.ERROR });
}
