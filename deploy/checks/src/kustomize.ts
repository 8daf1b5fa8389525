import { execFileSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import { workspacePath } from './workspace';

/** A rendered Kubernetes object, as plain data. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

export const OVERLAYS = ['dev', 'prod'] as const;
export type Overlay = (typeof OVERLAYS)[number];

/**
 * Renders an overlay with the Kustomize built into kubectl (no cluster needed), exactly as
 * `kubectl apply -k` would before sending it.
 */
export function renderOverlay(overlay: Overlay): KubeObject[] {
  const dir = workspacePath('deploy', 'kubernetes', 'overlays', overlay);
  let output: string;
  try {
    output = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`kubectl kustomize ${dir} failed (kubectl 1.27+ is required): ${stderr || String(error)}`);
  }
  return parseAllDocuments(output).map((document) => {
    if (document.errors.length > 0) throw new Error(`kustomize output does not parse: ${document.errors[0].message}`);
    return document.toJS() as KubeObject;
  });
}

export function objectsOfKind<T extends KubeObject>(objects: KubeObject[], kind: string): T[] {
  return objects.filter((object) => object.kind === kind) as T[];
}
