import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { ExpressAdapter } from '@nestjs/platform-express';
import { CONSOLE_ASSETS_DIR, consoleSecurityHeaders } from '@junction/console';
import { BaseConfigSchema, loadConfig } from '@junction/service-kit';
import type { Response } from 'express';
import { z } from 'zod';

const ConsoleConfigSchema = BaseConfigSchema.extend({
  /**
   * Where the console links a run's trace: a Jaeger address (its /trace/<trace id> page), or a template with
   * {traceId} (and {runId}, {connector}) for another trace UI.
   */
  TRACE_UI_URL: z.string().trim().min(1).optional(),
});

/**
 * Serves the operator console (libs/console's build) at /console. The page is public, like /openapi.json: it holds
 * no data, and asks the operator for the control API token, which it sends as the bearer token of each API call.
 * /console/config.json tells it the trace UI; nothing secret is in it. Every answer carries the console's
 * Content-Security-Policy and the other safe headers.
 */
@Module({})
export class ConsoleModule implements OnModuleInit {
  constructor(@Inject(HttpAdapterHost) private readonly host: HttpAdapterHost) {}

  onModuleInit(): void {
    const adapter = this.host.httpAdapter as ExpressAdapter;
    const { TRACE_UI_URL } = loadConfig('mapping', ConsoleConfigSchema);
    const headers = {
      ...consoleSecurityHeaders(),
      // Always revalidated: a new build must not meet a stale page that imports modules it no longer has.
      'Cache-Control': 'no-cache',
    };
    const secure = (response: Response) => response.set(headers);
    adapter.get('/console/config.json', (_request: unknown, response: Response) => {
      secure(response);
      adapter.reply(response, { traceUiUrl: TRACE_UI_URL }, 200);
    });
    adapter.useStaticAssets(CONSOLE_ASSETS_DIR, { prefix: '/console', index: 'index.html', setHeaders: secure });
  }
}
