import { SERVICE_NAMES, type ServiceName } from '@junction/e2e/test/stack';
import type { ChaosJunction } from './junction';
import type { SeededRandom } from './random';

export type Disruption = { kind: 'kill'; service: ServiceName } | { kind: 'restart nats-server' } | { kind: 'restart Postgres' };

export interface DisruptionCounts {
  kills: number;
  killsByService: Partial<Record<ServiceName, number>>;
  natsRestarts: number;
  postgresRestarts: number;
}

/** `kills` SIGKILLs of random services, with one nats-server restart a third of the way and one of Postgres at two thirds. */
export function planDisruptions(random: SeededRandom, kills: number): Disruption[] {
  const plan: Disruption[] = Array.from({ length: kills }, () => ({ kind: 'kill', service: random.pick(SERVICE_NAMES) }));
  plan.splice(Math.round((kills * 2) / 3), 0, { kind: 'restart Postgres' });
  plan.splice(Math.round(kills / 3), 0, { kind: 'restart nats-server' });
  return plan;
}

/**
 * Runs the plan one disruption at a time, each after a random pause: a killed service stays down a moment (its work
 * piles up), then starts again and is ready before the next disruption.
 */
export async function runDisruptions(
  junction: ChaosJunction,
  plan: Disruption[],
  random: SeededRandom,
  pauseMs: [number, number],
  log: (line: string) => void,
): Promise<DisruptionCounts> {
  const counts: DisruptionCounts = { kills: 0, killsByService: {}, natsRestarts: 0, postgresRestarts: 0 };
  for (const disruption of plan) {
    await sleep(random.int(...pauseMs));
    if (disruption.kind === 'kill') {
      const { service } = disruption;
      log(`SIGKILL ${service}`);
      await junction.stack.kill(service);
      counts.kills += 1;
      counts.killsByService[service] = (counts.killsByService[service] ?? 0) + 1;
      await sleep(random.int(0, 2_000));
      await junction.stack.restart(service);
      log(`${service} is back`);
    } else if (disruption.kind === 'restart nats-server') {
      log('restarting nats-server');
      await junction.nats.restart();
      counts.natsRestarts += 1;
    } else {
      log('restarting Postgres');
      await junction.postgres.restart();
      counts.postgresRestarts += 1;
    }
  }
  return counts;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
