import { Module } from '@nestjs/common';
import { JunctionModule, type ServiceDefinition } from '@junction/service-kit';
import { SchedulerConfigSchema } from './config';
import { schedulerEntities, schedulerMigrations } from './persistence';
import { SchedulerService } from './scheduler.service';
import { SchedulesController } from './schedules.controller';

export const schedulerDefinition: ServiceDefinition = {
  name: 'scheduler',
  entities: schedulerEntities,
  migrations: schedulerMigrations,
  configSchema: SchedulerConfigSchema,
};

@Module({
  imports: [JunctionModule.forService(schedulerDefinition)],
  controllers: [SchedulesController],
  providers: [SchedulerService],
})
export class AppModule {}
