import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONSOLE_ASSETS_DIR } from './assets';

/** An inline <script> element (one without src) and its text: the page's import map. */
const INLINE_SCRIPT = /<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi;

/**
 * The console's Content-Security-Policy: its own scripts, styles and API only, and of inline scripts only those in
 * `page` (by their SHA-256, as CSP hashes them: the exact text between the tags). Nothing may frame it, and its forms
 * never submit (the app sends them with fetch).
 */
export function contentSecurityPolicy(page: string): string {
  const hashes = [...page.matchAll(INLINE_SCRIPT)].map(([, text]) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`);
  return [
    "default-src 'none'",
    ["script-src 'self'", ...hashes].join(' '),
    "style-src 'self'",
    "img-src 'self'",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Headers for every response under /console: the policy for the built page, no sniffing, no framing, no referrer,
 * a browsing context and resources of its own, and no powerful browser features.
 */
export function consoleSecurityHeaders(page = builtPage()): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(page),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
  };
}

/** The built index.html; empty when the console is not built (then /console answers 404 and allows no inline script). */
function builtPage(): string {
  try {
    return readFileSync(join(CONSOLE_ASSETS_DIR, 'index.html'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}
