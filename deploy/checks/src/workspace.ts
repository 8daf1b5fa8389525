import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CONNECTORS } from '@junction/contracts';

/** The repository root: deploy/checks/src (or dist) is three levels below it. */
export const WORKSPACE_ROOT = resolve(__dirname, '../../..');

export function workspacePath(...parts: string[]): string {
  return join(WORKSPACE_ROOT, ...parts);
}

export function readWorkspaceFile(...parts: string[]): string {
  return readFileSync(workspacePath(...parts), 'utf8');
}

/** Folders of services/ that hold a project. */
export function workspaceServices(): string[] {
  const dir = workspacePath('services');
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'package.json')))
    .map((entry) => entry.name)
    .sort();
}

/**
 * Every service a deployment must run: the projects in services/ plus the connectors the contracts name, so a
 * connector cannot be forgotten in compose or Kubernetes, whether or not its project has landed yet.
 */
export function expectedServices(): string[] {
  return [...new Set([...workspaceServices(), ...CONNECTORS])].sort();
}

export function isConnector(service: string): boolean {
  return (CONNECTORS as readonly string[]).includes(service);
}
