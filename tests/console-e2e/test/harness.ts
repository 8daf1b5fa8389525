import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import type { Stack } from '@junction/e2e/test/stack';

export const ROOT = join(__dirname, '..', '..', '..');
/** Screenshots are test artifacts: CI keeps reports/. */
export const SCREENSHOTS = join(ROOT, 'reports', 'console');

/** Debian's Chromium; tools/infra.mjs installs it for the README's test command. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchBrowser(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** The control API's bearer token: startStack sets it for the mapping service it runs. */
export function controlToken(): string {
  const token = process.env.MAPPING_CONTROL_API_TOKEN;
  if (!token) throw new Error('no control API token: start the stack first');
  return token;
}

/**
 * The control API's address. The stack keeps it to itself (its `call` helper builds URLs from it), so it is read off
 * the one request `call` makes.
 */
export async function controlUrl(stack: Pick<Stack<string>, 'call'>): Promise<string> {
  const realFetch = globalThis.fetch;
  let url: string | undefined;
  globalThis.fetch = (input, init) => {
    url = String(input);
    return realFetch(input, init);
  };
  try {
    await stack.call('GET', '/openapi.json');
  } finally {
    globalThis.fetch = realFetch;
  }
  if (!url) throw new Error('the stack made no request');
  return new URL(url).origin;
}
