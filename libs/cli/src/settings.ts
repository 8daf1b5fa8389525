import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const DEFAULT_URL = 'http://127.0.0.1:8080';

/**
 * Where the control API is and its token: --url / --token, else JUNCTION_URL and JUNCTION_TOKEN (or
 * CONTROL_API_TOKEN, as the service reads it), else a laptop's .junction/control-token in the current directory.
 */
export function resolveTarget(
  flags: { url?: string; token?: string },
  env: Record<string, string | undefined> = process.env,
  cwd = process.cwd(),
): { url: string; token: string } {
  const url = flags.url ?? env['JUNCTION_URL'] ?? DEFAULT_URL;
  const tokenFile = join(cwd, '.junction', 'control-token');
  const token =
    flags.token ?? env['JUNCTION_TOKEN'] ?? env['CONTROL_API_TOKEN'] ?? (existsSync(tokenFile) ? readFileSync(tokenFile, 'utf8').trim() : undefined);
  if (!token) throw new UsageError('no control API token: pass --token, set JUNCTION_TOKEN, or run where .junction/control-token is');
  return { url, token };
}

/** A mistake in how the CLI was called: exit code 2. */
export class UsageError extends Error {}
