import { useEffect, useState } from 'preact/hooks';
import type { ConsoleContext } from '../main.js';
import type { ApiFailure } from '../api.js';
import { useI18n } from '../i18n.js';
import type { Integration } from '../../src/api-types.js';
import { kindName } from '../vendors.js';

/** Every integration with links to its settings and its sync screen. */
export function IntegrationsView({ context }: { context: ConsoleContext }) {
  const { t } = useI18n();
  const [integrations, setIntegrations] = useState<Integration[]>();
  const [error, setError] = useState('');
  useEffect(() => {
    context.api.get<{ integrations: Integration[] }>('/v1/integrations').then(
      (answer) => setIntegrations(answer.integrations),
      (failure: ApiFailure) => setError(failure.message),
    );
  }, []);

  return (
    <section>
      <h1 tabIndex={-1}>{t('integrations.title')}</h1>
      <p class="error">{error}</p>
      <a class="button primary" href="#/integrations/new">{t('integrations.new')}</a>
      {!integrations ? (
        <p>{t('common.loading')}</p>
      ) : integrations.length === 0 ? (
        <p>{t('integrations.empty')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('integrations.name')}</th>
              <th scope="col">{t('integrations.kind')}</th>
              <th scope="col">{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {integrations.map((integration) => (
              <tr key={integration.id}>
                <th scope="row">
                  {integration.name}
                  {!integration.enabled && <span class="badge">{t('integrations.disabled')}</span>}
                </th>
                <td>{kindName(integration.kind)}</td>
                <td class="actions">
                  <a href={`#/integrations/${integration.id}`} aria-label={`${t('integrations.settings')}: ${integration.name}`}>
                    {t('integrations.settings')}
                  </a>
                  <a href={`#/integrations/${integration.id}/sync`} aria-label={`${t('integrations.sync')}: ${integration.name}`}>
                    {t('integrations.sync')}
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
