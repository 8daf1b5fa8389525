import Ajv from 'ajv';
import { parse } from 'yaml';
import { readWorkspaceFile } from './workspace';

export interface ComposeService {
  image?: string;
  build?: { context?: string; target?: string; args?: Record<string, string> };
  entrypoint?: string[];
  command?: string[];
  profiles?: string[];
  healthcheck?: { test?: string[] | string; disable?: boolean };
  depends_on?: Record<string, { condition?: string }> | string[];
  environment?: Record<string, string>;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/** docker-compose.yml with its anchors and merge keys resolved, as Compose reads it. */
export function loadCompose(): ComposeFile {
  return parse(readWorkspaceFile('docker-compose.yml'), { merge: true }) as ComposeFile;
}

/** Problems against the Compose Specification's JSON Schema (vendored in deploy/checks/schemas). */
export function composeSchemaProblems(compose: unknown): string[] {
  // Draft-07, Ajv's default; its `$schema` spells the meta-schema's URL in a form Ajv does not register.
  const { $schema: _draft, ...schema } = JSON.parse(readWorkspaceFile('deploy', 'checks', 'schemas', 'compose-spec.json'));
  // strict: false, for the schema's annotation `deprecated`, which draft-07 does not define.
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
  if (validate(compose)) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath || '(root)'} ${error.message ?? ''}`.trim());
}

/** Services that wait for others: every dependency must be a named condition, not mere start order. */
export function dependencyProblems(compose: ComposeFile): string[] {
  return Object.entries(compose.services).flatMap(([name, service]) => {
    const dependsOn = service.depends_on;
    if (!dependsOn) return [];
    if (Array.isArray(dependsOn)) return [`${name}: depends_on without conditions`];
    return Object.entries(dependsOn).flatMap(([dependency, { condition }]) => {
      if (!compose.services[dependency]) return [`${name}: depends on unknown service ${dependency}`];
      if (!condition) return [`${name}: depends on ${dependency} without a condition`];
      if (condition === 'service_healthy' && !compose.services[dependency].healthcheck) {
        return [`${name}: waits for ${dependency} to be healthy, which has no healthcheck`];
      }
      return [];
    });
  });
}
