import type { Attributes } from '@opentelemetry/api';
import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { scrubPersonalData } from './personal-data';

/**
 * Hands spans on without e-mail addresses and phone numbers in their attributes, status message and events. Junction's
 * own spans carry ids and error types only; this is for what instrumentations record of an error they catch (a
 * Postgres error quoting a value, say).
 */
export class PersonalDataScrubbingExporter implements SpanExporter {
  constructor(private readonly exporter: SpanExporter) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this.exporter.export(spans.map(withoutPersonalData), resultCallback);
  }

  shutdown(): Promise<void> {
    return this.exporter.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.exporter.forceFlush?.() ?? Promise.resolve();
  }
}

function withoutPersonalData(span: ReadableSpan): ReadableSpan {
  // The copy's own properties shadow the span's; the rest (spanContext(), times, resource...) is read from the span.
  return Object.assign(Object.create(span) as ReadableSpan, {
    attributes: scrubbed(span.attributes),
    status: span.status.message === undefined ? span.status : { ...span.status, message: scrubPersonalData(span.status.message) },
    events: span.events.map((event) => (event.attributes ? { ...event, attributes: scrubbed(event.attributes) } : event)),
  });
}

function scrubbed(attributes: Attributes): Attributes {
  return Object.fromEntries(
    Object.entries(attributes).map(([key, value]) => [key, typeof value === 'string' ? scrubPersonalData(value) : value]),
  );
}
