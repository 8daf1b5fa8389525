import { ConnectionTestResult, ControlReply } from '@junction/contracts';
import { z } from 'zod';
import { defineConnector } from '../src';
import { Harness, sleep } from './support/harness';

// A vendor that rotates tokens (Zomentum: a new access token revokes the old one) must be renewed once, not once
// per replica: updateCredentials serialises renewals per connection and shows each caller what is stored now.

const harness = new Harness();
let rotations = 0;

const rotating = defineConnector({
  name: 'repairshopr',
  settingsSchema: z.object({ subdomain: z.string() }),
  credentialsSchema: z.object({ apiToken: z.string() }),
  async testConnection(ctx) {
    const stored = await ctx.updateCredentials(async (latest) => {
      // Another caller already renewed the token this one was given: use theirs.
      if (latest.apiToken !== ctx.credentials.apiToken) return latest;
      rotations++;
      await sleep(50);
      return { apiToken: `${latest.apiToken}-renewed` };
    });
    return { ok: true, message: stored.apiToken };
  },
  streams: {},
  commands: {},
});

beforeAll(async () => {
  await harness.open();
  // Two replicas of the connector on one database.
  await harness.startRuntime(rotating);
  await harness.startRuntime(rotating);
});

afterAll(() => harness.close());

it('renews once for concurrent callers on any replica and stores the renewed credentials sealed', async () => {
  const connectionId = await harness.createConnection('repairshopr', { apiToken: 'tok-first-5d1e' });

  const replies = await Promise.all(
    [1, 2, 3, 4].map(async () =>
      ControlReply(ConnectionTestResult).parse(await harness.control('repairshopr', 'test', { connectionId })),
    ),
  );

  expect(rotations).toBe(1);
  // The message carries the stored token, which the runtime scrubs as a registered secret.
  expect(replies.every((reply) => reply.ok && reply.data.ok)).toBe(true);
  const [row] = await harness.dataSource.query(`SELECT sealed_credentials FROM "${harness.schema}".connections WHERE id = $1`, [
    connectionId,
  ]);
  expect(harness.cipher.open(row.sealed_credentials, connectionId)).toBe(JSON.stringify({ apiToken: 'tok-first-5d1e-renewed' }));
});
