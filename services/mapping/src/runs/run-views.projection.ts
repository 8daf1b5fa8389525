import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { parseEvent, type SyncRunUpdated } from '@junction/contracts';
import { Bus } from '@junction/messaging';
import { activeTraceId } from '@junction/telemetry';
import { RunViews } from './run-views';

/**
 * The trace of the run an update tells about. The runner publishes its updates inside the run's span, and the
 * delivery's span continues the publisher's trace; a lease expiry is reported by whichever request found the dead
 * run, in that request's trace, so it names none.
 */
function runTraceId(run: SyncRunUpdated): string | undefined {
  return run.error?.code === 'lease_expired' ? undefined : activeTraceId();
}

/** Keeps sync_run_views up to date from the connectors' sync.run.updated events. */
@Injectable()
export class RunViewsProjection implements OnApplicationBootstrap {
  constructor(
    @Inject(Bus) private readonly bus: Bus,
    @Inject(RunViews) private readonly views: RunViews,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.consume({
      stream: 'SYNC',
      durable: 'mapping-run-views',
      filterSubject: 'sync.run.updated',
      parse: (raw) => parseEvent('sync.run.updated', raw),
      // Idempotent by revision, so no inbox is needed.
      handle: (event) => this.views.apply(event.data, event.correlationId, runTraceId(event.data)),
    });
  }
}
