import { Module } from '@nestjs/common';
import { ConnectorModule, connectorServiceDefinition } from '@junction/connector-runtime';
import { JunctionModule } from '@junction/service-kit';
import { retailcrm } from './connector';

@Module({
  imports: [JunctionModule.forService(connectorServiceDefinition(retailcrm)), ConnectorModule.forConnector(retailcrm)],
})
export class AppModule {}
