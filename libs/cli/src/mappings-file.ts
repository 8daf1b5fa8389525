import Ajv2020 from 'ajv/dist/2020';
import { integrationKinds, type Integration, type OpenApiDocument } from '@junction/console';
import { parseDocument, stringify } from 'yaml';

/** One integration as a mappings file holds it: the body of POST/PUT /v1/integrations, plus its id once it exists. */
export interface MappingEntry {
  id?: string;
  kind: string;
  name: string;
  sourceConnectionId: string;
  targetConnectionId: string;
  enabled?: boolean;
  settings?: Record<string, unknown>;
}

export interface MappingIssue {
  /** e.g. integrations[0].settings.statusMap */
  path: string;
  message: string;
}

const HEADER = [
  'Junction mappings: integrations with their settings (status maps, category map, filters, schedules).',
  'Review and edit, then apply with `junction mappings import <file>`; an entry with an id replaces that integration.',
].join('\n');

export function toMappingsYaml(integrations: Integration[]): string {
  const entries: MappingEntry[] = integrations.map(({ id, kind, name, sourceConnectionId, targetConnectionId, enabled, settings }) => ({
    id, kind, name, sourceConnectionId, targetConnectionId, enabled, settings,
  }));
  const document = parseDocument(stringify({ integrations: entries }, { lineWidth: 120 }));
  document.commentBefore = ` ${HEADER.replace(/\n/g, '\n ')}`;
  return document.toString({ lineWidth: 120 });
}

/** The entries of a mappings file, or what makes it unreadable (YAML syntax, a missing list). */
export function readMappingsYaml(text: string): { entries: MappingEntry[]; issues: MappingIssue[] } {
  const document = parseDocument(text);
  if (document.errors.length > 0) {
    return { entries: [], issues: document.errors.map((error) => ({ path: `line ${error.linePos?.[0].line ?? '?'}`, message: error.message })) };
  }
  const content = document.toJS() as { integrations?: unknown } | null;
  if (!content || !Array.isArray(content.integrations)) {
    return { entries: [], issues: [{ path: 'integrations', message: 'expected a list of integrations' }] };
  }
  return { entries: content.integrations as MappingEntry[], issues: [] };
}

/**
 * Checks each entry against the request body schema the control API publishes for its kind (generated from the
 * zod schemas it validates with), before anything is sent. Rules a JSON Schema cannot say (the 1:1 status map, the
 * third ZZap flag needing the second, statuses the vendors report) are the API's to check on import.
 */
export function checkMappings(entries: MappingEntry[], openapi: OpenApiDocument): MappingIssue[] {
  const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false });
  const kinds = integrationKinds(openapi);
  return entries.flatMap((entry, index) => {
    const at = `integrations[${index}]`;
    const kind = kinds.find((candidate) => candidate.kind === entry?.kind);
    if (!kind) return [{ path: `${at}.kind`, message: `must be one of ${kinds.map((k) => k.kind).join(', ')}` }];
    const { id: _id, ...body } = entry;
    const validate = ajv.compile(kind.body);
    if (validate(body)) return [];
    return (validate.errors ?? []).map((error) => ({
      path: `${at}${error.instancePath.replace(/\/(\d+)(?=\/|$)/g, '[$1]').replace(/\//g, '.')}`,
      message: `${error.message ?? 'is invalid'}${error.params && 'additionalProperty' in error.params ? `: ${String(error.params['additionalProperty'])}` : ''}`,
    }));
  });
}
