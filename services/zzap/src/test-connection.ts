import type { ConnectionTestResult } from '@junction/contracts';
import { VendorHttpError, VendorRateLimitError } from '@junction/vendor-http';
import { statusOf } from './canonical';
import { ZzapCredentialsError } from './client';
import { clientFor, type ZzapContext } from './context';

const UNREACHABLE = new Set(['connection_failed', 'network', 'timeout']);

function failure(error: unknown, baseUrl: string): string {
  if (error instanceof ZzapCredentialsError) {
    return error.rejected === 'api_key'
      ? `ZZap rejected the API key (ZZap: "${error.refusal}"): use the key ZZap support issued for this cabinet`
      : `ZZap rejected the login or password (ZZap: "${error.refusal}"): use the login and password of the ZZap cabinet`;
  }
  if (error instanceof VendorRateLimitError) return 'ZZap is limiting requests with this API key (one per 3 seconds): test again in a minute';
  if (error instanceof VendorHttpError && UNREACHABLE.has(error.code)) return `Could not reach ZZap at ${baseUrl}: ${error.message}`;
  if (error instanceof VendorHttpError) return `${baseUrl} does not answer as ZZap's seller web service: ${error.message}`;
  throw error;
}

/**
 * GetCodesTrack needs all three credentials and tells a wrong key from a wrong login or password; its statuses are
 * what the status map pairs, read afresh on every test. One attempt: the user is waiting.
 */
export async function testConnection(ctx: ZzapContext): Promise<ConnectionTestResult> {
  const { baseUrl } = ctx.connection.settings;
  try {
    const codes = await clientFor(ctx, { maxAttempts: 1 }).codesTrack();
    return {
      ok: true,
      message: `Connected to ZZap: ${codes.length} order statuses`,
      orderStatuses: codes.map((code) => statusOf(code.code_track, code.descr_track)),
    };
  } catch (error) {
    return { ok: false, message: failure(error, baseUrl) };
  }
}
