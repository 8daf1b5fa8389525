import { useEffect, useMemo, useState } from 'preact/hooks';
import { defaultSettings, integrationKinds } from '../../src/integration-schema.js';
import type { ConsoleContext } from '../main.js';
import type { ApiFailure } from '../api.js';
import { useI18n } from '../i18n.js';
import { route } from '../router.js';
import { connectionTests } from '../session.js';
import type { Connection, ConnectionTest, Integration } from '../../src/api-types.js';
import { kindName, vendorName } from '../vendors.js';
import { TestConnectionButton } from './connection-test.js';
import { ErrorSummary } from './error-summary.js';
import { SettingsFields } from './settings-fields.js';

interface Draft {
  kind: string;
  name: string;
  sourceConnectionId: string;
  targetConnectionId: string;
  enabled: boolean;
  settings: Record<string, unknown>;
}

type Side = 'source' | 'target';

/** Settings without the fields left empty, so the schema's defaults apply to them. */
function withoutBlanks(settings: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined && value !== ''));
}

/**
 * A new integration or the settings of one: its kind, its two connections (tested here, which loads the order
 * statuses), the kind's settings, and "Save" / "Save and Sync".
 */
export function IntegrationEditor({ context, integrationId }: { context: ConsoleContext; integrationId?: string }) {
  const { api, openapi } = context;
  const { t } = useI18n();
  const kinds = useMemo(() => integrationKinds(openapi), [openapi]);
  const [saved, setSaved] = useState<Integration>();
  const [draft, setDraft] = useState<Draft>();
  const [connections, setConnections] = useState<Record<string, Connection[]>>({});
  const [tests, setTests] = useState<Partial<Record<Side, ConnectionTest>>>({});
  const [issues, setIssues] = useState<Array<{ path: string; message: string }>>([]);
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);

  const startDraft = (kind: string): Draft => {
    const schema = kinds.find((candidate) => candidate.kind === kind);
    return { kind, name: '', sourceConnectionId: '', targetConnectionId: '', enabled: true, settings: defaultSettings(schema?.settings ?? {}) };
  };
  useEffect(() => {
    if (!integrationId) {
      setDraft(startDraft(kinds[0].kind));
      return;
    }
    api.get<Integration>(`/v1/integrations/${integrationId}`).then(
      (integration) => {
        setSaved(integration);
        const { kind, name, sourceConnectionId, targetConnectionId, enabled, settings } = integration;
        setDraft({ kind, name, sourceConnectionId, targetConnectionId, enabled, settings });
      },
      (failure: ApiFailure) => setNotice(failure.message),
    );
  }, [integrationId]);

  const kind = kinds.find((candidate) => candidate.kind === draft?.kind);
  useEffect(() => {
    if (!kind) return;
    for (const connector of [kind.source, kind.target]) {
      if (connections[connector]) continue;
      api.get<{ connections: Connection[] }>(`/v1/connections/${connector}`).then(
        (answer) => setConnections((current) => ({ ...current, [connector]: answer.connections })),
        () => setConnections((current) => ({ ...current, [connector]: [] })),
      );
    }
  }, [kind?.kind]);
  // The statuses come from the last test of each chosen connection (on the Connections screen or here).
  useEffect(() => {
    if (!kind || !draft) return;
    setTests({
      source: draft.sourceConnectionId ? connectionTests.get(kind.source, draft.sourceConnectionId) : undefined,
      target: draft.targetConnectionId ? connectionTests.get(kind.target, draft.targetConnectionId) : undefined,
    });
  }, [kind?.kind, draft?.sourceConnectionId, draft?.targetConnectionId]);

  if (!draft || !kind) return <p role="status">{notice || t('common.loading')}</p>;
  const update = (change: Partial<Draft>) => setDraft({ ...draft, ...change });

  const save = async (andSync: boolean) => {
    setBusy(true);
    setIssues([]);
    const body = { ...draft, settings: withoutBlanks(draft.settings) };
    try {
      // "Save and Sync" is the API's own (?sync=true), so the runs show what started them.
      const query = andSync ? '?sync=true' : '';
      let id = saved?.id;
      if (id) await api.send('PUT', `/v1/integrations/${id}${query}`, body);
      else id = (await api.send<Integration>('POST', `/v1/integrations${query}`, body)).id;
      if (andSync) route(`/integrations/${id}/sync`);
      else if (!saved) route(`/integrations/${id}`);
      else {
        setSaved(await api.get<Integration>(`/v1/integrations/${id}`));
        setNotice(t('editor.saved'));
      }
    } catch (error) {
      const failure = error as ApiFailure;
      setIssues(failure.body?.issues?.length ? failure.body.issues : [{ path: '', message: failure.message }]);
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (!saved || !confirm(t('common.confirmDelete', { name: saved.name }))) return;
    await api.send('DELETE', `/v1/integrations/${saved.id}`);
    route('/integrations');
  };

  const connectionField = (side: Side) => {
    const connector = side === 'source' ? kind.source : kind.target;
    const key = side === 'source' ? 'sourceConnectionId' : 'targetConnectionId';
    const options = connections[connector];
    const id = `connection-${side}`;
    return (
      <div class="field" key={side}>
        <label for={id}>{t('integrations.connection', { vendor: vendorName(connector) })}</label>
        <select id={id} value={draft[key]} required onChange={(event) => update({ [key]: event.currentTarget.value })}>
          <option value="">{t('editor.chooseConnection')}</option>
          {options?.map((connection) => <option value={connection.id}>{connection.name}</option>)}
        </select>
        {options?.length === 0 && <p class="help">{t('editor.noConnection', { vendor: vendorName(connector) })} <a href="#/connections">{t('nav.connections')}</a></p>}
        {draft[key] && (
          <TestConnectionButton
            key={`${connector}:${draft[key]}`}
            api={api}
            connector={connector}
            connectionId={draft[key]}
            onTested={(result) => setTests((current) => ({ ...current, [side]: result }))}
          />
        )}
      </div>
    );
  };

  const sites = tests.target?.details?.['sites'];
  return (
    <form onSubmit={(event) => { event.preventDefault(); void save(false); }} aria-busy={busy}>
      <h1 tabIndex={-1}>{saved ? t('editor.title', { name: saved.name }) : t('integrations.new')}</h1>
      {saved && <p><a href={`#/integrations/${saved.id}/sync`}>{t('integrations.sync')}</a></p>}
      <ErrorSummary title={t('editor.invalid')} issues={issues} />
      <p role="status">{notice}</p>
      <fieldset>
        <legend>{t('integrations.kind')}</legend>
        <div class="field">
          <label for="integration-kind">{t('integrations.kind')}</label>
          <select id="integration-kind" value={draft.kind} disabled={Boolean(saved)}
            onChange={(event) => setDraft({ ...startDraft(event.currentTarget.value), name: draft.name })}>
            {kinds.map((option) => <option value={option.kind}>{kindName(option.kind)}</option>)}
          </select>
        </div>
        <div class="field">
          <label for="integration-name">{t('integrations.name')}</label>
          <input id="integration-name" type="text" required value={draft.name} onInput={(event) => update({ name: event.currentTarget.value })} />
        </div>
        {connectionField('source')}
        {connectionField('target')}
        <div class="field checkbox">
          <input id="integration-enabled" type="checkbox" checked={draft.enabled} onChange={(event) => update({ enabled: event.currentTarget.checked })} />
          <label for="integration-enabled">{t('integrations.enabled')}</label>
        </div>
      </fieldset>
      <fieldset>
        <legend>{t('editor.settings')}</legend>
        <SettingsFields
          schema={kind.settings}
          value={draft.settings}
          onChange={(settings) => update({ settings })}
          context={{
            kind: kind.kind,
            source: kind.source,
            target: kind.target,
            sourceStatuses: tests.source?.ok ? tests.source.orderStatuses : undefined,
            targetStatuses: tests.target?.ok ? tests.target.orderStatuses : undefined,
            stores: Array.isArray(sites) ? sites.map(String) : undefined,
            schedules: saved?.schedules,
          }}
        />
      </fieldset>
      <div class="buttons sticky">
        <button type="submit" class="primary" disabled={busy}>{t('common.save')}</button>
        <button type="button" class="primary" disabled={busy} onClick={() => save(true)}>{t('editor.saveAndSync')}</button>
        {saved && <button type="button" class="danger" onClick={remove}>{t('editor.delete')}</button>}
      </div>
    </form>
  );
}
