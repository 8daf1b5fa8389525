import type { Stack } from '@junction/e2e/test/stack';

export type ControlApi = <T = Record<string, unknown>>(method: string, path: string, body?: unknown) => Promise<T>;

const GIVE_UP_AFTER_MS = 120_000;

/**
 * The control API as a patient user sees it while services die: a call that finds the mapping service down
 * (connection refused) or a connector unreachable (5xx) is tried again, for up to two minutes. Only for calls that
 * may be repeated (reads, "Sync now").
 */
export function patientApi(stack: Pick<Stack<string>, 'call'>): ControlApi {
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const deadline = Date.now() + GIVE_UP_AFTER_MS;
    for (;;) {
      let failure: string;
      try {
        const { status, body: answer } = await stack.call<T>(method, path, body);
        if (status < 300) return answer;
        failure = `${status} ${JSON.stringify(answer)}`;
        if (status < 500) throw new Error(`${method} ${path}: ${failure}`);
      } catch (error) {
        if (!(error instanceof TypeError)) throw error;
        failure = String(error.cause ?? error.message);
      }
      if (Date.now() > deadline) throw new Error(`${method} ${path} still failing after ${GIVE_UP_AFTER_MS / 1000} s: ${failure}`);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  };
}
