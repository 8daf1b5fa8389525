import { useEffect, useState } from 'preact/hooks';
import { CONNECTION_FORMS, CONNECTOR_NAMES, connectionRequest, visibleFields } from '../../src/connection-forms.js';
import type { ConsoleContext } from '../main.js';
import { ApiFailure } from '../api.js';
import { isMessageKey, useI18n, type MessageKey } from '../i18n.js';
import type { Connection } from '../../src/api-types.js';
import { vendorName } from '../vendors.js';
import { TestConnectionButton } from './connection-test.js';
import { ErrorSummary } from './error-summary.js';

type Lists = Record<string, Connection[] | ApiFailure | undefined>;

/** Every connector's connections, a form to add or change one, and "Test connection" on each. */
export function ConnectionsView({ context }: { context: ConsoleContext }) {
  const { api } = context;
  const { t } = useI18n();
  const [lists, setLists] = useState<Lists>({});
  const [form, setForm] = useState<{ connector?: string; connection?: Connection }>();
  const [notice, setNotice] = useState('');

  const load = (connector: string) =>
    api.get<{ connections: Connection[] }>(`/v1/connections/${connector}`).then(
      ({ connections }) => setLists((current) => ({ ...current, [connector]: connections })),
      (error: ApiFailure) => setLists((current) => ({ ...current, [connector]: error })),
    );
  useEffect(() => void CONNECTOR_NAMES.forEach(load), []);

  const remove = async (connection: Connection) => {
    if (!confirm(t('common.confirmDelete', { name: connection.name }))) return;
    try {
      await api.send('DELETE', `/v1/connections/${connection.connector}/${connection.id}`);
      await load(connection.connector);
    } catch (error) {
      setNotice(t('common.failed', { message: (error as Error).message }));
    }
  };

  return (
    <section>
      <h1 tabIndex={-1}>{t('connections.title')}</h1>
      <p role="status">{notice}</p>
      {form ? (
        <ConnectionForm
          context={context}
          connector={form.connector}
          connection={form.connection}
          onDone={(saved) => {
            setForm(undefined);
            if (saved) {
              setNotice(t('connections.saved', { name: saved.name }));
              void load(saved.connector);
            }
          }}
        />
      ) : (
        <button type="button" class="primary" onClick={() => setForm({})}>{t('connections.add')}</button>
      )}
      {CONNECTOR_NAMES.map((connector) => {
        const list = lists[connector];
        return (
          <section aria-labelledby={`vendor-${connector}`} key={connector}>
            <h2 id={`vendor-${connector}`}>{vendorName(connector)}</h2>
            {list === undefined ? (
              <p>{t('common.loading')}</p>
            ) : list instanceof ApiFailure ? (
              <p class="error">{list.message}</p>
            ) : list.length === 0 ? (
              <p>{t('connections.empty')}</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('connections.name')}</th>
                    <th scope="col">{t('connections.settings')}</th>
                    <th scope="col">{t('common.actions')}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((connection) => (
                    <tr key={connection.id}>
                      <th scope="row">{connection.name}</th>
                      <td>
                        <SettingsSummary settings={connection.settings} />
                        <span class="badge">{connection.hasCredentials ? t('connections.credentialsStored') : t('connections.noCredentials')}</span>
                      </td>
                      <td class="actions">
                        <TestConnectionButton api={api} connector={connector} connectionId={connection.id} />
                        <button type="button" onClick={() => setForm({ connector, connection })} aria-label={`${t('common.edit')}: ${connection.name}`}>
                          {t('common.edit')}
                        </button>
                        <button type="button" onClick={() => remove(connection)} aria-label={`${t('common.delete')}: ${connection.name}`}>
                          {t('common.delete')}
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        );
      })}
    </section>
  );
}

function SettingsSummary({ settings }: { settings: Record<string, unknown> }) {
  const entries = Object.entries(settings).filter(([, value]) => value !== undefined && value !== '');
  return (
    <dl class="inline">
      {entries.map(([key, value]) => [<dt key={`${key}-k`}>{key}</dt>, <dd key={`${key}-v`}>{String(value)}</dd>])}
    </dl>
  );
}

function fieldLabel(t: (key: MessageKey) => string, key: string): string {
  const messageKey = `field.${key}`;
  return isMessageKey(messageKey) ? t(messageKey) : key;
}

/**
 * Adds a connection of the chosen vendor with the fields it needs, or changes one. Credentials are write-only: the
 * fields start empty and an empty field keeps what is stored.
 */
function ConnectionForm(props: {
  context: ConsoleContext;
  connector?: string;
  connection?: Connection;
  onDone: (saved?: Connection) => void;
}) {
  const { api } = props.context;
  const { t } = useI18n();
  const editing = props.connection;
  const [connector, setConnector] = useState(props.connector ?? CONNECTOR_NAMES[0]);
  const [name, setName] = useState(editing?.name ?? '');
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(Object.entries(editing?.settings ?? {}).map(([key, value]) => [key, String(value)])),
  );
  const [issues, setIssues] = useState<Array<{ path: string; message: string }>>([]);
  const known = connector as keyof typeof CONNECTION_FORMS;
  const fields = visibleFields(known, values);
  const set = (key: string, value: string) => setValues((current) => ({ ...current, [key]: value }));

  const submit = async (event: Event) => {
    event.preventDefault();
    const { request, missing } = connectionRequest(known, values, editing ? 'update' : 'create');
    if (missing.length > 0) {
      setIssues([{ path: '', message: t('connections.missing', { fields: missing.map((key) => fieldLabel(t, key)).join(', ') }) }]);
      return;
    }
    try {
      const saved = editing
        ? await api.send<Connection>('PATCH', `/v1/connections/${connector}/${editing.id}`, { name, ...request })
        : await api.send<Connection>('POST', '/v1/connections', { connector, name, ...request });
      props.onDone(saved);
    } catch (error) {
      const failure = error as ApiFailure;
      setIssues(failure.body?.issues ?? [{ path: '', message: failure.message }]);
    }
  };

  const input = (field: (typeof fields)[number]) => {
    const id = `field-${field.key}`;
    const help = `fieldHelp.${connector}.${field.key}`;
    const describedBy = [isMessageKey(help) ? `${id}-help` : '', field.kind === 'credential' && editing ? `${id}-keep` : '']
      .filter(Boolean)
      .join(' ');
    return (
      <div class="field" key={field.key}>
        <label for={id}>{fieldLabel(t, field.key)}</label>
        {field.input === 'select' ? (
          <select id={id} value={values[field.key] ?? field.options?.[0]} onChange={(event) => set(field.key, event.currentTarget.value)}>
            {field.options?.map((option) => {
              const choice = `choice.${field.key}.${option}`;
              return <option value={option}>{isMessageKey(choice) ? t(choice) : option}</option>;
            })}
          </select>
        ) : (
          <input
            id={id}
            // One of text, url, password, number: Preact types input props per type, hence the cast.
            type={field.input as 'text'}
            // Credentials are never shown again: their fields start empty on every edit (values hold settings only).
            value={values[field.key] ?? ''}
            placeholder={field.placeholder}
            required={field.required && (field.kind === 'setting' || !editing)}
            autocomplete={field.kind === 'credential' ? 'new-password' : 'off'}
            aria-describedby={describedBy || undefined}
            onInput={(event) => set(field.key, event.currentTarget.value)}
          />
        )}
        {isMessageKey(help) && <p id={`${id}-help`} class="help">{t(help)}</p>}
        {field.kind === 'credential' && editing && <p id={`${id}-keep`} class="help">{t('connections.keepCredentials')}</p>}
      </div>
    );
  };

  return (
    <form class="card" onSubmit={submit} aria-labelledby="connection-form-title">
      <h2 id="connection-form-title">{editing ? t('connections.editTitle', { name: editing.name }) : t('connections.add')}</h2>
      <ErrorSummary title={t('editor.invalid')} issues={issues} />
      {!editing && (
        <div class="field">
          <label for="field-connector">{t('connections.vendor')}</label>
          <select id="field-connector" value={connector} onChange={(event) => setConnector(event.currentTarget.value)}>
            {CONNECTOR_NAMES.map((option) => <option value={option}>{vendorName(option)}</option>)}
          </select>
        </div>
      )}
      <div class="field">
        <label for="field-name">{connector === 'zzap' ? t('connections.nameZzap') : t('connections.name')}</label>
        <input id="field-name" type="text" required value={name} onInput={(event) => setName(event.currentTarget.value)} />
      </div>
      {fields.filter((field) => !field.advanced).map(input)}
      {fields.some((field) => field.advanced) && (
        <details>
          <summary>{t('common.advanced')}</summary>
          {fields.filter((field) => field.advanced).map(input)}
        </details>
      )}
      <div class="buttons">
        <button type="submit" class="primary">{t('common.save')}</button>
        <button type="button" onClick={() => props.onDone()}>{t('common.cancel')}</button>
      </div>
    </form>
  );
}
