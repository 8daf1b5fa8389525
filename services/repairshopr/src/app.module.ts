import { Module } from '@nestjs/common';
import { ConnectorModule, connectorServiceDefinition } from '@junction/connector-runtime';
import { JunctionModule } from '@junction/service-kit';
import { repairshopr } from './connector';

@Module({
  imports: [JunctionModule.forService(connectorServiceDefinition(repairshopr)), ConnectorModule.forConnector(repairshopr)],
})
export class AppModule {}
