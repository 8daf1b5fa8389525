import { Module } from '@nestjs/common';
import { ConnectorModule, connectorServiceDefinition } from '@junction/connector-runtime';
import { JunctionModule } from '@junction/service-kit';
import { zzap } from './connector';

@Module({
  imports: [JunctionModule.forService(connectorServiceDefinition(zzap)), ConnectorModule.forConnector(zzap)],
})
export class AppModule {}
