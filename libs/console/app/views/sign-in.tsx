import { useState } from 'preact/hooks';
import { useI18n } from '../i18n.js';

/** Asks for the control API token and checks it with one authenticated call before keeping it. */
export function SignIn({ onSignedIn }: { onSignedIn: (token: string) => void }) {
  const { t } = useI18n();
  const [token, setToken] = useState('');
  const [error, setError] = useState('');

  const submit = async (event: Event) => {
    event.preventDefault();
    const response = await fetch('/v1/integrations', { headers: { authorization: `Bearer ${token.trim()}` } });
    if (response.ok) onSignedIn(token.trim());
    else setError(response.status === 401 ? t('signIn.refused') : t('common.failed', { message: String(response.status) }));
  };

  return (
    <form class="card narrow" onSubmit={submit}>
      <h1 tabIndex={-1}>{t('signIn.title')}</h1>
      <label for="token">{t('signIn.token')}</label>
      <input id="token" type="password" autocomplete="off" required value={token} aria-describedby="token-help"
        onInput={(event) => setToken(event.currentTarget.value)} />
      <p id="token-help" class="help">{t('signIn.tokenHelp')}</p>
      <button type="submit" class="primary">{t('signIn.submit')}</button>
      <p role="alert" class="error">{error}</p>
    </form>
  );
}
