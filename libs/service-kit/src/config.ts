import { z } from 'zod';

/** Settings every service reads; a service extends it with its own keys. */
export const BaseConfigSchema = z.object({
  DATABASE_URL: z.string().url({ message: 'must be a postgres:// URL' }),
  DB_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case Postgres identifier').optional(),
  /** Off behind a pooler that moves a session's statements between server connections (PgBouncer's transaction mode before 1.21). */
  DB_PREPARED_STATEMENTS: z.stringbool().default(true),
  NATS_URL: z.string().min(1).default('nats://127.0.0.1:4222'),
  NATS_USER: z.string().optional(),
  NATS_PASS: z.string().optional(),
  NATS_TOKEN: z.string().optional(),
  JUNCTION_NAMESPACE: z.string().regex(/^[a-z0-9_-]+$/i).optional(),
  HTTP_HOST: z.string().default('0.0.0.0'),
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(20_000),
});
export type BaseConfig = z.infer<typeof BaseConfigSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads a service's config from the environment. `<SERVICE>_<KEY>` wins over `<KEY>`, so several services can
 * share one environment (the all-in-one process) and still get their own port or schema.
 * Errors name the variables, never their values: a value may be a secret.
 */
export function loadConfig<S extends z.ZodType<BaseConfig>>(
  serviceName: string,
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.infer<S> {
  const prefix = `${serviceName.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_`;
  const merged: Record<string, string | undefined> = { ...env };
  for (const [key, value] of Object.entries(env)) {
    if (key.startsWith(prefix) && value !== undefined) merged[key.slice(prefix.length)] = value;
  }
  const parsed = schema.safeParse(merged);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new ConfigError(`invalid configuration for ${serviceName}: ${problems.join('; ')}`);
  }
  return parsed.data;
}
