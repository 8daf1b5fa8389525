import { EVENTS, messageId, type Envelope, type SyncRequested } from '@junction/contracts';
import type { ScheduleEntity } from './persistence';

const syncRequested = EVENTS['sync.requested'];

/**
 * The sync.requested of one slot. Everything in it follows from the schedule and the slot, so a re-publish
 * after a crash is byte-for-byte the same message with the same Nats-Msg-Id, and JetStream drops it.
 */
export function syncRequestFor(schedule: ScheduleEntity, slot: Date): Envelope<SyncRequested> {
  const slotIso = slot.toISOString();
  const id = messageId('schedule', schedule.id, slotIso);
  return syncRequested.envelope.parse({
    id,
    type: syncRequested.subject,
    version: syncRequested.version,
    source: { connector: 'scheduler', connectionId: schedule.id },
    integrationId: schedule.integrationId,
    occurredAt: slotIso,
    data: {
      requestId: id,
      connector: schedule.connector,
      connectionId: schedule.connectionId,
      stream: schedule.stream,
      integrationId: schedule.integrationId,
      scheduleId: schedule.id,
      reason: 'schedule',
      fullResync: false,
      requestedAt: slotIso,
    },
  });
}
