import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVICE_NAMES, startStack, type Stack } from '@junction/e2e/test/stack';
import * as minicrmSandbox from '@junction/sandbox-minicrm';
import * as repairshoprSandbox from '@junction/sandbox-repairshopr';
import * as retailcrmSandbox from '@junction/sandbox-retailcrm';
import * as shoprenterSandbox from '@junction/sandbox-shoprenter';
import * as zomentumSandbox from '@junction/sandbox-zomentum';
import * as zzapSandbox from '@junction/sandbox-zzap';
import { OwnNatsServer } from './infra/nats-server';
import { OwnPostgres } from './infra/postgres-server';

export type SandboxName = 'shoprenter' | 'minicrm' | 'zomentum' | 'repairshopr' | 'zzap' | 'retailcrm';

/** A whole Junction: every service its own process, the six sandboxes, and a NATS and Postgres of its own. */
export interface ChaosJunction {
  stack: Stack<SandboxName>;
  nats: OwnNatsServer;
  postgres: OwnPostgres;
  close(): Promise<void>;
}

export async function startChaosJunction(env: Record<string, string> = {}): Promise<ChaosJunction> {
  const dir = mkdtempSync(join(tmpdir(), 'junction-chaos-'));
  // As root, embedded Postgres runs initdb as a postgres user, who must reach the data directory inside.
  chmodSync(dir, 0o755);
  const cleanUp: Array<() => Promise<void>> = [async () => rmSync(dir, { recursive: true, force: true })];
  const close = async () => {
    for (const step of cleanUp.reverse()) await step();
  };
  try {
    const nats = await OwnNatsServer.start(dir);
    cleanUp.push(() => nats.stop());
    const postgres = await OwnPostgres.start(dir);
    cleanUp.push(() => postgres.stop());
    const stack = await startStack<SandboxName>({
      services: SERVICE_NAMES,
      processes: SERVICE_NAMES,
      infra: { databaseUrl: postgres.url, natsUrl: nats.url },
      sandboxes: {
        shoprenter: shoprenterSandbox.createSandbox(),
        minicrm: minicrmSandbox.createSandbox(),
        zomentum: zomentumSandbox.createSandbox(),
        repairshopr: repairshoprSandbox.createSandbox(),
        zzap: zzapSandbox.createSandbox(),
        retailcrm: retailcrmSandbox.createSandbox(),
      },
      // A killed worker's run is taken over after 3 s instead of a minute.
      env: { SYNC_LEASE_MS: '3000', COMMAND_CONCURRENCY: '4', ...env },
    });
    cleanUp.push(() => stack.close());
    return { stack, nats, postgres, close };
  } catch (error) {
    await close();
    throw error;
  }
}
