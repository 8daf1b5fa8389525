import { Module } from '@nestjs/common';
import { ConnectorModule, connectorServiceDefinition } from '@junction/connector-runtime';
import { JunctionModule } from '@junction/service-kit';
import { minicrm } from './connector';

@Module({
  imports: [JunctionModule.forService(connectorServiceDefinition(minicrm)), ConnectorModule.forConnector(minicrm)],
})
export class AppModule {}
