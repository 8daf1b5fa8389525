import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { Bus } from '@junction/messaging';
import { CONFIG, LOGGER } from '@junction/service-kit';
import type { Logger } from 'pino';
import type { MappingConfig } from './config';
import { CONNECTION_ROUTES, connectionHandlers } from './connections/connections.api';
import { ConnectionsService } from './connections/connections.service';
import { ConnectorControl } from './connections/connector-control';
import { DEAD_LETTER_ROUTES, deadLetterHandlers } from './dead-letters/dead-letters.api';
import { ApiError } from './http/api-error';
import { bearerTokenMatches } from './http/bearer-token';
import { buildOpenApiDocument } from './http/openapi';
import { registerRoutes } from './http/route-server';
import { INTEGRATION_ROUTES, integrationHandlers } from './integrations/integrations.api';
import { IntegrationsService } from './integrations/integrations.service';
import { RecordLookup } from './links/record-lookup';
import { RECORD_ROUTES, recordHandlers } from './links/records.api';
import { RunViews } from './runs/run-views';
import { RUN_ROUTES, runHandlers } from './runs/runs.api';

/** Every route of the control API; the server and the OpenAPI document are both made from this. */
export const CONTROL_API_ROUTES = {
  ...CONNECTION_ROUTES,
  ...INTEGRATION_ROUTES,
  ...RUN_ROUTES,
  ...RECORD_ROUTES,
  ...DEAD_LETTER_ROUTES,
};

export function controlApiDocument() {
  return buildOpenApiDocument(CONTROL_API_ROUTES, { title: 'Junction control API', version: '1.0.0' });
}

/** Serves the control API (bearer-token protected) and its OpenAPI document (public) on the service's HTTP port. */
@Injectable()
export class ControlApi implements OnModuleInit {
  constructor(
    @Inject(HttpAdapterHost) private readonly host: HttpAdapterHost,
    @Inject(CONFIG) private readonly config: MappingConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(Bus) private readonly bus: Bus,
    @Inject(ConnectorControl) private readonly control: ConnectorControl,
    @Inject(ConnectionsService) private readonly connections: ConnectionsService,
    @Inject(IntegrationsService) private readonly integrations: IntegrationsService,
    @Inject(RunViews) private readonly runs: RunViews,
    @Inject(RecordLookup) private readonly records: RecordLookup,
  ) {}

  // Registered while modules initialise: after the body parser, before Nest's catch-all 404 handler.
  onModuleInit(): void {
    const adapter = this.host.httpAdapter;
    const document = controlApiDocument();
    adapter.get('/openapi.json', (_request: unknown, response: unknown) => adapter.reply(response, document, 200));
    registerRoutes(
      adapter,
      CONTROL_API_ROUTES,
      {
        ...connectionHandlers(this.control, this.connections),
        ...integrationHandlers(this.integrations),
        ...runHandlers(this.integrations, this.runs),
        ...recordHandlers(this.integrations, this.records),
        ...deadLetterHandlers(this.bus),
      },
      {
        authenticate: (authorization) => {
          if (!bearerTokenMatches(authorization, this.config.CONTROL_API_TOKEN)) throw new ApiError('unauthorized');
        },
        logger: this.logger,
      },
    );
  }
}
