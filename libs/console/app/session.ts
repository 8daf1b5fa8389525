import type { ConnectionTest } from '../src/api-types.js';

/**
 * What the console keeps in the browser. The token lives in sessionStorage (gone with the tab); the language and
 * the trace UI address in localStorage. Test results hold order statuses only, never credentials.
 */
const TOKEN = 'junction.token';
const LANGUAGE = 'junction.language';
const TRACE_UI = 'junction.traceUi';
const TESTS = 'junction.connectionTests';

export const session = {
  token: () => sessionStorage.getItem(TOKEN),
  setToken: (token: string | null) => (token ? sessionStorage.setItem(TOKEN, token) : sessionStorage.removeItem(TOKEN)),
  language: () => localStorage.getItem(LANGUAGE),
  setLanguage: (language: string) => localStorage.setItem(LANGUAGE, language),
  traceUi: () => localStorage.getItem(TRACE_UI),
  setTraceUi: (address: string) => localStorage.setItem(TRACE_UI, address),
};

type TestResults = Record<string, ConnectionTest>;

function readTests(): TestResults {
  try {
    return JSON.parse(sessionStorage.getItem(TESTS) ?? '{}') as TestResults;
  } catch {
    return {};
  }
}

/** The last test of each connection, kept so the status-mapping tables can use the statuses it fetched. */
export const connectionTests = {
  get: (connector: string, id: string): ConnectionTest | undefined => readTests()[`${connector}:${id}`],
  set(connector: string, id: string, result: ConnectionTest) {
    sessionStorage.setItem(TESTS, JSON.stringify({ ...readTests(), [`${connector}:${id}`]: result }));
  },
};
