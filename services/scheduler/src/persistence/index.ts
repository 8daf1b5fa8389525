import { SchedulerInitial1795564800000 } from './1795564800000-scheduler-initial';
import { FiredSlotEntity } from './fired-slot.entity';
import { ScheduleEntity, scheduleOf, timingColumns } from './schedule.entity';

export { FiredSlotEntity, ScheduleEntity, scheduleOf, timingColumns };
export { qualifiedTable } from './tables';

export const schedulerEntities = [ScheduleEntity, FiredSlotEntity];
/** Oldest first; openServiceDataSource runs them after the connector kit's. */
export const schedulerMigrations = [SchedulerInitial1795564800000];
