// Completes the console's build after tsc: the page and styles, and the Preact modules its import map names.
import { copyFileSync, cpSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const here = dirname(new URL(import.meta.url).pathname);
const out = join(here, 'dist', 'public');
const preact = dirname(createRequire(import.meta.url).resolve('preact/package.json'));

cpSync(join(here, 'app', 'static'), out, { recursive: true });
mkdirSync(join(out, 'vendor'), { recursive: true });
for (const [from, to] of [
  ['dist/preact.mjs', 'preact.js'],
  ['hooks/dist/hooks.mjs', 'hooks.js'],
  ['jsx-runtime/dist/jsxRuntime.mjs', 'jsx-runtime.js'],
]) {
  copyFileSync(join(preact, from), join(out, 'vendor', to));
}
