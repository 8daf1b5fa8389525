import { render } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { OpenApiDocument } from '../src/integration-schema.js';
import { controlApi, publicJson, type ControlApi } from './api.js';
import { I18n, LANGUAGES, preferredLanguage, translator, type Language } from './i18n.js';
import { route, useRoute } from './router.js';
import { session } from './session.js';
import { ConnectionsView } from './views/connections.js';
import { IntegrationEditor } from './views/integration-editor.js';
import { IntegrationsView } from './views/integrations.js';
import { PreferencesView } from './views/preferences.js';
import { SignIn } from './views/sign-in.js';
import { SyncView } from './views/sync.js';

/** What every screen needs: the API with the operator's token and the server's description of the settings. */
export interface ConsoleContext {
  api: ControlApi;
  openapi: OpenApiDocument;
  traceUi: string;
}

function App() {
  const [language, setLanguage] = useState<Language>(() => preferredLanguage(session.language()));
  const [token, setToken] = useState(session.token());
  const [openapi, setOpenapi] = useState<OpenApiDocument>();
  const [traceUi, setTraceUi] = useState(session.traceUi() ?? '');
  const current = useRoute();
  const heading = useRef<HTMLDivElement>(null);
  const i18n = useMemo(() => ({ language, t: translator(language) }), [language]);
  const { t } = i18n;

  // In the commit that changes the text: a screen reader must never read the new words in the old language.
  useLayoutEffect(() => {
    document.documentElement.lang = language;
    document.title = t('app.title');
    session.setLanguage(language);
  }, [language]);
  useEffect(() => {
    publicJson<OpenApiDocument>('/openapi.json').then(setOpenapi);
    // The server may name a trace UI (TRACE_UI_URL); what the operator set in Preferences wins.
    if (session.traceUi() === null) {
      publicJson<{ traceUiUrl?: string }>('config.json').then((config) => setTraceUi(config.traceUiUrl ?? ''), () => undefined);
    }
  }, []);
  // A new screen: move focus to its content, so keyboard and screen-reader users start there.
  useEffect(() => heading.current?.querySelector('h1')?.focus(), [current.path, token, openapi]);

  const signOut = () => {
    session.setToken(null);
    setToken(null);
  };
  const api = useMemo(() => (token ? controlApi(token, signOut) : undefined), [token]);
  const context = api && openapi ? { api, openapi, traceUi } : undefined;

  return (
    <I18n.Provider value={i18n}>
      <a class="skip" href="#main">{t('nav.skip')}</a>
      <header>
        <span class="brand">{t('app.title')}</span>
        {token && (
          <nav aria-label={t('app.title')}>
            <a href="#/connections" aria-current={current.path.startsWith('/connections') ? 'page' : undefined}>{t('nav.connections')}</a>
            <a href="#/integrations" aria-current={current.path.startsWith('/integrations') ? 'page' : undefined}>{t('nav.integrations')}</a>
            <a href="#/preferences" aria-current={current.path === '/preferences' ? 'page' : undefined}>{t('nav.preferences')}</a>
          </nav>
        )}
        <label class="language">
          {t('nav.language')}{' '}
          <select value={language} onChange={(event) => setLanguage(event.currentTarget.value as Language)}>
            {Object.entries(LANGUAGES).map(([code, name]) => <option value={code} lang={code}>{name}</option>)}
          </select>
        </label>
        {token && <button type="button" onClick={signOut}>{t('nav.signOut')}</button>}
      </header>
      <main id="main" ref={heading}>
        {!token ? (
          <SignIn
            onSignedIn={(accepted) => {
              session.setToken(accepted);
              setToken(accepted);
            }}
          />
        ) : !context ? (
          <p role="status">{t('common.loading')}</p>
        ) : (
          <Screen context={context} path={current.path} onTraceUi={setTraceUi} />
        )}
      </main>
    </I18n.Provider>
  );
}

function Screen({ context, path, onTraceUi }: { context: ConsoleContext; path: string; onTraceUi: (address: string) => void }) {
  const integration = /^\/integrations\/([^/]+)(\/sync)?$/.exec(path);
  if (path.startsWith('/connections')) return <ConnectionsView context={context} />;
  if (path === '/preferences') return <PreferencesView traceUi={context.traceUi} onSave={onTraceUi} />;
  if (integration?.[1] === 'new') return <IntegrationEditor key="new" context={context} />;
  if (integration?.[2]) return <SyncView key={integration[1]} context={context} integrationId={integration[1]} />;
  if (integration) return <IntegrationEditor key={integration[1]} context={context} integrationId={integration[1]} />;
  if (path !== '/integrations') route('/integrations');
  return <IntegrationsView context={context} />;
}

render(<App />, document.getElementById('app') as HTMLElement);
