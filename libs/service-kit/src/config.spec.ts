import { z } from 'zod';
import { BaseConfigSchema, ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  const env = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres', HTTP_PORT: '8080' };

  it('applies defaults and coerces numbers', () => {
    const config = loadConfig('mapping', BaseConfigSchema, env);
    expect(config.HTTP_PORT).toBe(8080);
    expect(config.NATS_URL).toBe('nats://127.0.0.1:4222');
    expect(config.LOG_LEVEL).toBe('info');
    expect(config.DB_PREPARED_STATEMENTS).toBe(true);
    expect(loadConfig('mapping', BaseConfigSchema, { ...env, DB_PREPARED_STATEMENTS: 'false' }).DB_PREPARED_STATEMENTS).toBe(false);
  });

  it('lets a service-prefixed variable win, so services can share one environment', () => {
    const config = loadConfig('repair-shopr', BaseConfigSchema, { ...env, REPAIR_SHOPR_HTTP_PORT: '9001' });
    expect(config.HTTP_PORT).toBe(9001);
    expect(loadConfig('mapping', BaseConfigSchema, { ...env, REPAIR_SHOPR_HTTP_PORT: '9001' }).HTTP_PORT).toBe(8080);
  });

  it('names the invalid variable but never echoes its value', () => {
    const secretish = 'not-a-url-but-maybe-a-password';
    let error: unknown;
    try {
      loadConfig('mapping', BaseConfigSchema, { DATABASE_URL: secretish });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('DATABASE_URL');
    expect((error as Error).message).not.toContain(secretish);
  });

  it('validates the keys a service adds', () => {
    const schema = BaseConfigSchema.extend({ CONTROL_API_TOKEN: z.string().min(16) });
    expect(() => loadConfig('mapping', schema, env)).toThrow(/CONTROL_API_TOKEN/);
    expect(loadConfig('mapping', schema, { ...env, CONTROL_API_TOKEN: 'x'.repeat(16) }).CONTROL_API_TOKEN).toHaveLength(16);
  });
});
