import { Module } from '@nestjs/common';
import { ConnectorModule, connectorServiceDefinition } from '@junction/connector-runtime';
import { JunctionModule } from '@junction/service-kit';
import { zomentum } from './connector';

@Module({
  imports: [JunctionModule.forService(connectorServiceDefinition(zomentum)), ConnectorModule.forConnector(zomentum)],
})
export class AppModule {}
