import { useState } from 'preact/hooks';
import { useI18n } from '../i18n.js';
import { session } from '../session.js';

/** Where the run list links each run's trace (Jaeger, or any UI with a link template). */
export function PreferencesView({ traceUi, onSave }: { traceUi: string; onSave: (address: string) => void }) {
  const { t } = useI18n();
  const [address, setAddress] = useState(traceUi);
  const [saved, setSaved] = useState('');
  const submit = (event: Event) => {
    event.preventDefault();
    session.setTraceUi(address.trim());
    onSave(address.trim());
    setSaved(t('prefs.saved'));
  };
  return (
    <form class="card narrow" onSubmit={submit}>
      <h1 tabIndex={-1}>{t('prefs.title')}</h1>
      <label for="trace-ui">{t('prefs.traceUi')}</label>
      <input id="trace-ui" type="text" value={address} aria-describedby="trace-ui-help" placeholder="http://localhost:16686"
        onInput={(event) => setAddress(event.currentTarget.value)} />
      <p id="trace-ui-help" class="help">{t('prefs.traceUiHelp')}</p>
      <button type="submit" class="primary">{t('common.save')}</button>
      <p role="status">{saved}</p>
    </form>
  );
}
