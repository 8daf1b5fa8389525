import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { parseEvent } from '@junction/contracts';
import { Bus } from '@junction/messaging';
import { RunViews } from './run-views';

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
      handle: (event) => this.views.apply(event.data, event.correlationId),
    });
  }
}
