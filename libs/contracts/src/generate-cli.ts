import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { EVENT_SCHEMA_DIR, renderArtifacts } from './artifacts';

// Writes the generated docs: `npm run generate -w @junction/contracts`.
// This file runs from libs/contracts/dist, three levels below the repository root.
const repositoryRoot = resolve(__dirname, '../../..');
const artifacts = renderArtifacts();

// Schemas of contracts that no longer exist must not linger.
const generated = new Set(artifacts.map((artifact) => artifact.path));
mkdirSync(join(repositoryRoot, EVENT_SCHEMA_DIR), { recursive: true });
for (const file of readdirSync(join(repositoryRoot, EVENT_SCHEMA_DIR))) {
  const path = `${EVENT_SCHEMA_DIR}/${file}`;
  if (file.endsWith('.schema.json') && !generated.has(path)) rmSync(join(repositoryRoot, path));
}

for (const { path, content } of artifacts) {
  mkdirSync(dirname(join(repositoryRoot, path)), { recursive: true });
  writeFileSync(join(repositoryRoot, path), content);
}
console.log(`Wrote ${artifacts.length} files under ${join(repositoryRoot, 'docs')}`);
