import { useState } from 'preact/hooks';
import { ApiFailure, type ControlApi } from '../api.js';
import { useI18n } from '../i18n.js';
import { connectionTests } from '../session.js';
import type { ConnectionTest } from '../../src/api-types.js';

/**
 * "Test connection" with the vendor's answer beside the button ("Sikeres kapcsolódás!" / why it failed). The order
 * statuses the test fetched are kept for the status-mapping tables.
 */
export function TestConnectionButton(props: {
  api: ControlApi;
  connector: string;
  connectionId: string;
  label?: string;
  onTested?: (result: ConnectionTest) => void;
}) {
  const { t } = useI18n();
  const [result, setResult] = useState<ConnectionTest | undefined>(() => connectionTests.get(props.connector, props.connectionId));
  const [testing, setTesting] = useState(false);
  const messageId = `test-${props.connector}-${props.connectionId}`;

  const test = async () => {
    setTesting(true);
    try {
      const tested = await props.api.send<ConnectionTest>('POST', `/v1/connections/${props.connector}/${props.connectionId}/test`);
      connectionTests.set(props.connector, props.connectionId, tested);
      setResult(tested);
      props.onTested?.(tested);
    } catch (error) {
      setResult({ ok: false, message: error instanceof ApiFailure ? error.message : String(error) });
    } finally {
      setTesting(false);
    }
  };

  return (
    <span class="test">
      <button type="button" onClick={test} disabled={testing} aria-describedby={messageId}>
        {props.label ?? t('connections.test')}
      </button>{' '}
      <span id={messageId} role="status" class={result ? (result.ok ? 'ok' : 'error') : ''}>
        {testing ? t('connections.testing') : result?.message}
        {!testing && result?.ok && result.orderStatuses && ` ${t('connections.statusesFetched', { count: result.orderStatuses.length })}`}
      </span>
    </span>
  );
}
