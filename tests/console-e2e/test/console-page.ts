import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import type { Stack } from '@junction/e2e/test/stack';
import { controlToken, controlUrl, launchBrowser, SCREENSHOTS } from './harness';

/** The console open in a Chromium tab, watched for what must never happen: a leaked credential, a CSP violation. */
export interface ConsoleTab {
  page: Page;
  /** The control API's origin, which serves the console at /console. */
  url: string;
  /** Answers of the control API that carried one of the credentials: there must be none. */
  leaks: string[];
  /** What the page's Content-Security-Policy refused: there must be nothing. */
  violations: string[];
  heading(name: string | RegExp): Locator;
  screenshot(name: string): Promise<void>;
  /** Signs in with the control API token (console.spec.ts does it with the keyboard). */
  signIn(): Promise<void>;
  /** Adds a connection on the Connections screen; `advanced` fields are under "Advanced settings". */
  addConnection(connection: { vendor: string; name: string; fields: Record<string, string>; advanced?: Record<string, string> }): Promise<void>;
  /** Presses the connection's "Test connection" and waits for the answer beside the button. */
  testConnection(name: string, answer: RegExp): Promise<Locator>;
  /** Starts a new integration of a kind between two connections, on its settings screen. */
  newIntegration(integration: { kind: string; name: string; source: string; target: string }): Promise<void>;
  close(): Promise<void>;
}

export async function openConsole(stack: Pick<Stack<string>, 'call'>, secrets: readonly string[]): Promise<ConsoleTab> {
  const url = await controlUrl(stack);
  const browser: Browser = await launchBrowser();
  const page = await browser.newPage({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
  const leaks: string[] = [];
  const violations: string[] = [];
  page.on('response', async (response) => {
    const body = await response.text().catch(() => '');
    if (secrets.some((secret) => body.includes(secret))) leaks.push(`${response.request().method()} ${response.url()}`);
  });
  // The page reports each violation as an event; Chromium also logs it. Both are collected.
  await page.exposeBinding('reportCspViolation', (_source, violation: string) => void violations.push(violation));
  await page.addInitScript(() =>
    document.addEventListener('securitypolicyviolation', (event) =>
      (window as unknown as { reportCspViolation(text: string): void }).reportCspViolation(`${event.violatedDirective} ${event.blockedURI}`),
    ),
  );
  page.on('console', (message) => {
    if (message.type() === 'error' && message.text().includes('Content Security Policy')) violations.push(message.text());
  });

  const heading = (name: string | RegExp) => page.getByRole('heading', { level: 1, name });
  return {
    page,
    url,
    leaks,
    violations,
    heading,
    screenshot: async (name) => void (await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true })),
    async signIn() {
      await page.goto(`${url}/console`);
      await page.getByLabel('Control API token').fill(controlToken());
      await page.getByRole('button', { name: 'Sign in' }).click();
      await heading('Integrations').waitFor();
    },
    async addConnection({ vendor, name, fields, advanced = {} }) {
      await page.getByRole('link', { name: 'Connections' }).click();
      await heading('Connections').waitFor();
      await page.getByRole('button', { name: 'Add connection' }).click();
      await page.getByLabel('Vendor').selectOption({ label: vendor });
      await page.locator('#field-name').fill(name);
      for (const [label, value] of Object.entries(fields)) await page.getByLabel(label, { exact: true }).fill(value);
      if (Object.keys(advanced).length > 0) await page.getByText('Advanced settings').click();
      for (const [label, value] of Object.entries(advanced)) await page.getByLabel(label, { exact: true }).fill(value);
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByRole('status').filter({ hasText: `Connection "${name}" saved.` }).waitFor();
    },
    async testConnection(name, answer) {
      const row = page.getByRole('row', { name });
      await row.getByRole('button', { name: 'Test connection' }).click();
      const status = row.getByRole('status');
      await status.filter({ hasText: answer }).waitFor();
      return status;
    },
    async newIntegration({ kind, name, source, target }) {
      await page.getByRole('link', { name: 'Integrations' }).click();
      await page.getByRole('link', { name: 'New integration' }).click();
      await heading('New integration').waitFor();
      await page.getByLabel('Integration', { exact: true }).selectOption({ label: kind });
      await page.getByLabel('Name', { exact: true }).fill(name);
      const [sourceVendor, targetVendor] = kind.split(/ [→↔] /);
      await page.getByLabel(`${sourceVendor} connection`).selectOption({ label: source });
      await page.getByLabel(`${targetVendor} connection`).selectOption({ label: target });
    },
    close: () => browser.close(),
  };
}
