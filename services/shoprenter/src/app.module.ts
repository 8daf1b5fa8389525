import { Module } from '@nestjs/common';
import { ConnectorModule, connectorServiceDefinition } from '@junction/connector-runtime';
import { JunctionModule } from '@junction/service-kit';
import { shoprenter } from './connector';

@Module({
  imports: [JunctionModule.forService(connectorServiceDefinition(shoprenter)), ConnectorModule.forConnector(shoprenter)],
})
export class AppModule {}
