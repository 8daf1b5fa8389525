import { createTestTelemetry } from '@junction/telemetry';
import { inRecordTrace, RUN_RECORD_LINKS, runtimeTracer, type RunTrace } from './tracing';

const telemetry = createTestTelemetry();
afterAll(() => telemetry.shutdown());

describe('inRecordTrace', () => {
  it('links every record to its run, and the run only to its first records', async () => {
    const description = { connector: 'shoprenter', connectionId: 'c-1', stream: 'orders', entityType: 'order', runId: 'r-1' };
    const run: RunTrace = { span: runtimeTracer().startSpan('sync run shoprenter.orders'), description, linkedRecords: 0 };
    const records = RUN_RECORD_LINKS + 72;
    for (let key = 0; key < records; key++) await inRecordTrace(run, String(key), async () => undefined);
    run.span.end();

    const spans = telemetry.spans();
    const runSpan = spans.find((span) => span.name === 'sync run shoprenter.orders')!;
    const recordSpans = spans.filter((span) => span.name === 'sync record shoprenter.orders');
    expect(recordSpans).toHaveLength(records);
    for (const record of recordSpans) expect(record.links.map((link) => link.context.spanId)).toEqual([runSpan.spanContext().spanId]);
    expect(runSpan.links.map((link) => link.context.spanId)).toEqual(
      recordSpans.slice(0, RUN_RECORD_LINKS).map((record) => record.spanContext().spanId),
    );
    expect(run.linkedRecords).toBe(RUN_RECORD_LINKS);
  });
});
