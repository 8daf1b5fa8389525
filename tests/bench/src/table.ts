import type { BenchResults } from './results';

/** A Markdown table: what `npm run bench` prints, and what docs/performance.md keeps. */
function table(header: string[], rows: Array<Array<string | number>>): string {
  const line = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

const fixed = (value: number, digits = 1) => value.toFixed(digits);
/** `mapping 3.9 (0.31), minicrm 7.1 (0.56)`: ms per record and cores used, by process. */
const cpuPerRecord = (entries: Array<[string, { msPerRecord: number; coresUsed: number }]>) =>
  entries.map(([label, cpu]) => `${label} ${fixed(cpu.msPerRecord)} (${fixed(cpu.coresUsed, 2)})`).join(', ');
const percent = (share: number) => `${(share * 100).toFixed(1)} %`;
const whole = (value: number) => Math.round(value).toLocaleString('en-US');
const change = (share: number | null) => (share === null ? '–' : `${share >= 0 ? '+' : ''}${percent(share)}`);

export function renderResults(results: BenchResults): string {
  const { options, machine } = results;
  const sections: string[] = [
    `Measured ${results.startedAt} – ${results.finishedAt} on ${machine.cores} × ${machine.model}, Node ${machine.node}; ` +
      `load average ${machine.loadAverageAtStart.map((load) => load.toFixed(1)).join(' ')} at the start, ` +
      `${machine.loadAverageAtEnd.map((load) => load.toFixed(1)).join(' ')} at the end. Size \`${options.size}\`, ` +
      `COMMAND_CONCURRENCY and mapping's EVENT_CONCURRENCY ${options.commandConcurrency}, pipeline VENDOR_RATE_LIMIT_SCALE ${options.pipelineScale}.`,
  ];

  if (results.throughput.length > 0) {
    sections.push(
      `### 1. Pipeline throughput (sandbox limits off, every service its own process, ${options.throughputSeconds} s windows)`,
      table(
        ['integration', 'records/s', 'records in window', 'vendor calls/record', 'CPU ms per record (cores used)', 'servers: CPU ms per record (cores used)', 'machine busy'],
        results.throughput.map((run) => [
          `${run.integration} (${run.unit})`,
          fixed(run.recordsPerSecond),
          whole(run.records),
          fixed(run.vendorCallsPerRecord),
          cpuPerRecord(Object.entries(run.cpu.processes).filter(([, cpu]) => cpu.coresUsed >= 0.005)), // the other integration's idle services
          cpuPerRecord(Object.entries(run.cpu.servers)) || '–',
          percent(run.cpu.machineBusyShare),
        ]),
      ),
      ...results.throughput.map(
        (run) =>
          `${run.integration} calls per record: ` +
          Object.entries(run.vendorCallsPerRecordByEndpoint)
            .map(([endpoint, calls]) => `\`${endpoint}\` ${fixed(calls, 2)}`)
            .join(', '),
      ),
    );
  }

  if (results.profile) {
    const { throughput, busiest, cpuSecondsByService } = results.profile;
    sections.push(
      `#### Where the time goes: a throughput run of each integration with every service under the CPU profiler ` +
        `(${throughput.map((run) => `${fixed(run.recordsPerSecond)} ${run.unit}/s`).join(', ')}); ` +
        `CPU seconds of each service process over them: ` +
        Object.entries(cpuSecondsByService)
          .map(([service, seconds]) => `${service} ${fixed(seconds)}`)
          .join(', '),
    );
    for (const profile of busiest) {
      sections.push(
        `\`${profile.service}\` by self time (${fixed(profile.busySeconds)} s sampled busy, \`${profile.file}\`):`,
        table(['module', 'self ms', 'share'], profile.topModules.map((entry) => [entry.module, whole(entry.selfMs), percent(entry.share)])),
        table(
          ['function', 'where', 'self ms', 'share'],
          profile.topFunctions.map((entry) => [`\`${entry.function}\``, entry.location, whole(entry.selfMs), percent(entry.share)]),
        ),
      );
    }
  }

  if (results.latency.length > 0) {
    sections.push(
      `### 2. Latency at ${options.latencyRate} events/s for ${options.latencySeconds} s (publish to confirmed vendor write, ms)`,
      table(
        ['integration', 'events', 'written/s', "p50 Junction's own", 'p95', 'p99', 'max', 'p99 end to end', 'sandbox ms/record'],
        results.latency.map((run) => [
          `${run.integration} (${run.unit})`,
          run.saturated ? `${run.events}: saturated after ${fixed(run.publishingSeconds)} s` : String(run.events),
          fixed(run.finishedPerSecond),
          fixed(run.junctionMs.p50),
          fixed(run.junctionMs.p95),
          fixed(run.junctionMs.p99),
          fixed(run.junctionMs.max),
          fixed(run.endToEndMs.p99),
          fixed(run.sandboxMsPerRecord, 2),
        ]),
      ),
    );
  }

  if (results.backfill.length > 0) {
    sections.push(
      '### 3. Backfill against the vendors\' documented limits (limits and connector pacing both scaled)',
      table(
        ['integration', 'records', 'limits ×', 'total s', 'bound s', '× bound', 'bottleneck', 'calls/record', "429s (and RetailCRM's 503s)", 'batch endpoint'],
        results.backfill.map((run) => [
          run.integration,
          whole(run.records),
          run.scale,
          fixed(run.totalSeconds),
          fixed(run.boundSeconds),
          fixed(run.ratioToBound, 2),
          run.bottleneck,
          run.vendors.map((vendor) => `${vendor.vendor} ${fixed(vendor.callsPerRecord, 2)}`).join(', '),
          run.vendors.map((vendor) => `${vendor.vendor} ${vendor.rateLimited}`).join(', '),
          run.batchEndpoint ? `${run.batchEndpoint.vendor} ${run.batchEndpoint.path}: ${run.batchEndpoint.used ? 'used' : 'not used'}` : 'none known',
        ]),
      ),
      ...results.backfill.map((run) => {
        const refusals = run.vendors
          .filter((vendor) => vendor.rateLimited > 0)
          .map((vendor) => `; ${vendor.vendor} refused calls at ${vendor.rateLimitedAtSeconds.map((at) => fixed(at)).join(', ')} s${vendor.rateLimited > vendor.rateLimitedAtSeconds.length ? ' ...' : ''}`);
        const delays = run.vendors.map((vendor) => `${vendor.vendor} up to ${fixed(vendor.eventLoopDelayMs.max)} ms (p99 ${fixed(vendor.eventLoopDelayMs.p99)})`);
        return `${run.integration}: how late each sandbox's event loop ran: ${delays.join(', ')}${refusals.join('')}`;
      }),
    );
  }

  const { stacks, allInOne } = results.memory;
  if (stacks.length > 0 || allInOne) {
    const services = [...new Set(stacks.flatMap((stack) => Object.keys(stack.peakRssMb)))];
    const peak = (mb: number | undefined) => (mb === undefined ? '–' : whole(mb));
    sections.push(
      '### 4. Peak RSS (VmHWM, MB) of each process over the runs of its stack',
      table(
        ['service', ...stacks.map((stack) => stack.stack)],
        services.map((service) => [service, ...stacks.map((stack) => peak(stack.peakRssMb[service]))]),
      ),
      ...(allInOne
        ? [
            `All services in one process (\`tools/all-in-one.cjs\`): ${whole(allInOne.peakRssMb)} MB over throughput runs of ` +
              `${options.allInOneSeconds} s at ${allInOne.throughput.map((run) => `${fixed(run.recordsPerSecond)} ${run.unit}/s (${run.integration})`).join(' and ')}.`,
          ]
        : []),
    );
  }

  if (results.growth.length > 0) {
    sections.push(
      `### 5. Cost growth: run 1 again with the ID map filled (${options.throughputSeconds} s windows)`,
      table(
        ['integration', 'ID map rows', 'records/s', 'vs run 1', 'service CPU ms/record', 'vs run 1'],
        results.growth.map((run) => [
          run.integration,
          whole(run.idMapRows),
          fixed(run.recordsPerSecond),
          change(run.changeFromFirstRun),
          fixed(run.serviceCpuMsPerRecord),
          change(run.cpuChangeFromFirstRun),
        ]),
      ),
    );
  }
  return `${sections.join('\n\n')}\n`;
}
