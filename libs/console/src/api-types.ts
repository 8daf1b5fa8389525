import type { Progress } from './progress';
import type { Status } from './status-map';

/** The control API's answers, as far as the console reads them (services/mapping/README.md lists every route). */
export interface Connection {
  id: string;
  connector: string;
  name: string;
  settings: Record<string, unknown>;
  hasCredentials: boolean;
}

export interface ConnectionTest {
  ok: boolean;
  message: string;
  orderStatuses?: Status[];
  details?: Record<string, unknown>;
}

export interface Integration {
  id: string;
  kind: string;
  name: string;
  sourceConnectionId: string;
  targetConnectionId: string;
  enabled: boolean;
  settings: Record<string, unknown>;
  schedules: Array<{ stream: string; connector: string; kind: 'interval' | 'cron'; everyMinutes?: number; cron?: string; timeZone?: string }>;
}

export interface LocalTime {
  iso: string;
  /** 'DD-MM-YYYY HH:mm' in the integration's time zone. */
  display: string;
}

export interface WaitingRecord {
  eventId: string;
  subject: string;
  reason: string;
  since: LocalTime;
}

export interface RecordFailure {
  connector: string;
  entityType: string;
  sourceKey: string;
  error: { code: string; message: string };
  failedAt: LocalTime;
  commandId: string;
}

export interface Run {
  runId: string;
  connector: string;
  connectionId: string;
  stream: string;
  state: 'running' | 'succeeded' | 'failed' | 'cancelled';
  reason: string | null;
  progress: Progress;
  counts: { created: number; updated: number; skipped: number; failed: number };
  error: { code: string; message: string } | null;
  startedAt: LocalTime;
  finishedAt: LocalTime | null;
  waiting: WaitingRecord[];
  failures: RecordFailure[];
  /** The first records the run read but could not sync; counts.failed tells how many in all. */
  failedRecords: Array<{ entityType: string; recordKey: string; error: string }>;
  /** The run's own trace; null when tracing was off. */
  traceId: string | null;
}

export interface Runs {
  integrationId: string;
  timeZone: string;
  lastSyncTime: LocalTime | null;
  runs: Run[];
  waiting: WaitingRecord[];
  failures: RecordFailure[];
}

export interface SyncStarted {
  requestId: string;
  streams: Array<{ connector: string; connectionId: string; stream: string }>;
  running: Array<{ runId: string; stream: string; connector: string }>;
}
