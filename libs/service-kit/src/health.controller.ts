import { Controller, Get, HttpCode, Inject, ServiceUnavailableException } from '@nestjs/common';
import { hasPendingMigrations } from '@junction/connector-kit';
import { Bus } from '@junction/messaging';
import { DataSource } from 'typeorm';
import { ServiceLifecycle } from './lifecycle';

type CheckResult = 'ok' | string;

@Controller('health')
export class HealthController {
  constructor(
    @Inject(Bus) private readonly bus: Bus,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(ServiceLifecycle) private readonly lifecycle: ServiceLifecycle,
  ) {}

  /** The process is up; Kubernetes restarts the pod only when this fails. */
  @Get('live')
  @HttpCode(200)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Ready only when NATS and Postgres answer and every migration is applied; not ready while draining. */
  @Get('ready')
  async ready(): Promise<{ status: 'ready'; checks: Record<string, CheckResult> }> {
    const checks: Record<string, CheckResult> = {
      shutdown: this.lifecycle.isDraining ? 'draining' : 'ok',
      nats: this.bus.nc.isClosed() ? 'connection closed' : 'ok',
      postgres: await this.checkPostgres(),
    };
    checks['migrations'] = checks['postgres'] === 'ok' ? await this.checkMigrations() : 'unknown';
    if (Object.values(checks).some((result) => result !== 'ok')) {
      throw new ServiceUnavailableException({ status: 'unavailable', checks });
    }
    return { status: 'ready', checks };
  }

  private async checkPostgres(): Promise<CheckResult> {
    try {
      await this.dataSource.query('SELECT 1');
      return 'ok';
    } catch (error) {
      return `unreachable: ${(error as Error).message}`;
    }
  }

  private async checkMigrations(): Promise<CheckResult> {
    return (await hasPendingMigrations(this.dataSource)) ? 'pending migrations' : 'ok';
  }
}
