import { useEffect, useState } from 'preact/hooks';
import { deadLettersOf, type DeadLetter } from '../../src/dead-letters.js';
import { progressFraction, progressText } from '../../src/progress.js';
import { traceLink } from '../../src/trace-link.js';
import type { ConsoleContext } from '../main.js';
import type { ApiFailure } from '../api.js';
import { isMessageKey, useI18n } from '../i18n.js';
import type { Integration, Run, Runs, SyncStarted } from '../../src/api-types.js';

const REFRESH_MS = 2_000;

/**
 * The Sync screen: "Sync now" and "Full re-sync", the last sync time, every run with its state, progress, counts,
 * error and the records it could not read (and a link to its trace), what waits, which writes failed, and the
 * integration's dead letters with a replay button. It refreshes itself while open.
 */
export function SyncView({ context, integrationId }: { context: ConsoleContext; integrationId: string }) {
  const { api, traceUi } = context;
  const { t } = useI18n();
  const [integration, setIntegration] = useState<Integration>();
  const [runs, setRuns] = useState<Runs>();
  const [letters, setLetters] = useState<DeadLetter[]>([]);
  const [notice, setNotice] = useState('');
  // Kept apart from the notice: a failed background refresh must not hide what the operator's last action did.
  const [refreshFailure, setRefreshFailure] = useState('');

  const refresh = async () => {
    try {
      setRuns(await api.get<Runs>(`/v1/integrations/${integrationId}/runs`));
      const { deadLetters } = await api.get<{ deadLetters: DeadLetter[] }>('/v1/dead-letters?limit=500');
      setLetters(deadLettersOf(integrationId, deadLetters));
      setRefreshFailure('');
    } catch (error) {
      setRefreshFailure((error as ApiFailure).message);
    }
  };
  useEffect(() => {
    api.get<Integration>(`/v1/integrations/${integrationId}`).then(setIntegration, (failure: ApiFailure) => setNotice(failure.message));
    void refresh();
    const timer = setInterval(() => document.visibilityState === 'visible' && void refresh(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [integrationId]);

  // A full re-sync reads every record from the start: what failed to read comes again, the rest is not written twice.
  const sync = async (full: boolean) => {
    try {
      const started = await api.send<SyncStarted>('POST', `/v1/integrations/${integrationId}/sync${full ? '?fullResync=true' : ''}`);
      const running = started.running.map((run) => `${run.connector}.${run.stream}`);
      setNotice([
        t(full ? 'sync.fullResyncRequested' : 'sync.requested', { count: started.streams.length }),
        running.length > 0 ? t('sync.alreadyRunning', { streams: running.join(', ') }) : '',
      ].join(' '));
      await refresh();
    } catch (error) {
      setNotice(t('common.failed', { message: (error as ApiFailure).message }));
    }
  };

  const replay = async (letter: DeadLetter) => {
    try {
      await api.send('POST', `/v1/dead-letters/${letter.seq}/replay`);
      setNotice(t('sync.replayed', { seq: letter.seq }));
      await refresh();
    } catch (error) {
      setNotice(t('common.failed', { message: (error as ApiFailure).message }));
    }
  };

  const name = integration?.name ?? '';
  return (
    <section>
      <h1 tabIndex={-1}>{t('sync.title', { name })}</h1>
      <p><a href={`#/integrations/${integrationId}`}>{t('integrations.settings')}</a></p>
      <div class="toolbar">
        <button type="button" class="primary" onClick={() => sync(false)}>{t('sync.now')}</button>
        <span>
          <button type="button" onClick={() => sync(true)} aria-describedby="full-resync-help">{t('sync.fullResync')}</button>{' '}
          <span id="full-resync-help" class="help">{t('sync.fullResyncHelp')}</span>
        </span>
        <p>
          {t('sync.lastSyncTime')}: <strong data-testid="last-sync-time">{runs?.lastSyncTime?.display ?? t('sync.never')}</strong>
          {runs && <span class="help"> ({runs.timeZone})</span>}
        </p>
      </div>
      <p role="status">{notice}</p>
      {refreshFailure && <p role="alert">{t('sync.refreshFailed', { message: refreshFailure })}</p>}

      <h2>{t('sync.runs')}</h2>
      {!runs ? <p>{t('common.loading')}</p> : runs.runs.length === 0 ? <p>{t('sync.noRuns')}</p> : (
        <table class="runs">
          <thead>
            <tr>
              <th scope="col">{t('sync.stream')}</th>
              <th scope="col">{t('sync.state')}</th>
              <th scope="col">{t('sync.progress')}</th>
              <th scope="col">{t('sync.counts')}</th>
              <th scope="col">{t('sync.started')}</th>
              <th scope="col">{t('sync.finished')}</th>
              <th scope="col">{t('sync.error')}</th>
              <th scope="col">{t('sync.trace')}</th>
            </tr>
          </thead>
          <tbody>
            {runs.runs.map((run) => <RunRow key={run.runId} run={run} traceUi={traceUi} />)}
          </tbody>
        </table>
      )}

      <h2>{t('sync.waiting')}</h2>
      {!runs?.waiting.length ? <p>{t('sync.noWaiting')}</p> : (
        <table>
          <thead>
            <tr><th scope="col">{t('sync.subject')}</th><th scope="col">{t('sync.error')}</th><th scope="col">{t('sync.since')}</th></tr>
          </thead>
          <tbody>
            {runs.waiting.map((record) => (
              <tr key={record.eventId}><td>{record.subject}</td><td>{record.reason}</td><td>{record.since.display}</td></tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>{t('sync.failures')}</h2>
      {!runs?.failures.length ? <p>{t('sync.noFailures')}</p> : (
        <table>
          <thead>
            <tr><th scope="col">{t('sync.record')}</th><th scope="col">{t('sync.error')}</th><th scope="col">{t('sync.failedAt')}</th></tr>
          </thead>
          <tbody>
            {runs.failures.map((failure) => (
              <tr key={failure.commandId}>
                <td>{failure.connector} {failure.entityType} <code>{failure.sourceKey}</code></td>
                <td>{failure.error.message}</td>
                <td>{failure.failedAt.display}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>{t('sync.deadLetters')}</h2>
      {letters.length === 0 ? <p>{t('sync.noDeadLetters')}</p> : (
        <table>
          <thead>
            <tr>
              <th scope="col">#</th><th scope="col">{t('sync.subject')}</th><th scope="col">{t('sync.error')}</th>
              <th scope="col">{t('sync.failedAt')}</th><th scope="col">{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {letters.map((letter) => (
              <tr key={letter.seq}>
                <td>{letter.seq}</td>
                <td><code>{letter.originalSubject}</code></td>
                <td>{letter.reason}</td>
                <td>{letter.failedAt}</td>
                <td>
                  <button type="button" onClick={() => replay(letter)} aria-label={`${t('sync.replay')} #${letter.seq}`}>{t('sync.replay')}</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function RunRow({ run, traceUi }: { run: Run; traceUi: string }) {
  const { t } = useI18n();
  const fraction = progressFraction(run.progress);
  const reason = `reason.${run.reason}`;
  const trace = traceLink(traceUi, run);
  return (
    <tr class={`run ${run.state}`} data-run-id={run.runId}>
      <th scope="row">
        {run.connector}.{run.stream}
        {run.reason && <span class="help"> {isMessageKey(reason) ? t(reason) : run.reason}</span>}
      </th>
      <td><span class={`state ${run.state}`}>{t(`state.${run.state}`)}</span></td>
      <td>
        <progress max={1} value={fraction} aria-label={`${run.connector}.${run.stream}: ${progressText(run.progress)}`} />{' '}
        <span class="progress-text">{progressText(run.progress)}</span>
      </td>
      <td>
        {t('sync.countsText', run.counts)}
        {run.waiting.length > 0 && <span class="warning"> · {t('sync.waitingCount', { count: run.waiting.length })}</span>}
      </td>
      <td>{run.startedAt.display}</td>
      <td>{run.finishedAt?.display ?? ''}</td>
      <td class="error">
        {run.error?.message ?? ''}{run.failures.map((failure) => ` ${failure.error.message}`).join('')}
        {run.failedRecords.length > 0 && <FailedRecords run={run} />}
      </td>
      <td>{trace && <a href={trace} target="_blank" rel="noreferrer">{t('sync.openTrace')}</a>}</td>
    </tr>
  );
}

/** The records a run read but could not sync, each with why; the run names the first few of them. */
function FailedRecords({ run }: { run: Run }) {
  const { t } = useI18n();
  const unnamed = run.counts.failed - run.failedRecords.length;
  return (
    <ul class="failed-records" aria-label={t('sync.failedRecords', { stream: `${run.connector}.${run.stream}` })}>
      {run.failedRecords.map((record) => (
        <li key={`${record.entityType}:${record.recordKey}`}>
          {record.entityType} <code>{record.recordKey}</code>: {record.error}
        </li>
      ))}
      {unnamed > 0 && <li>{t('sync.moreFailedRecords', { count: unnamed })}</li>}
    </ul>
  );
}
