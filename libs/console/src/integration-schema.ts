/**
 * The integration kinds and their settings as the control API describes them in /openapi.json, which the mapping
 * service generates from the zod schemas it validates with: the console builds its forms and defaults from it, and
 * the CLI checks a mappings file against it, so neither keeps a copy of the rules.
 */
export type JsonSchema = {
  type?: string;
  const?: unknown;
  enum?: unknown[];
  default?: unknown;
  description?: string;
  properties?: Record<string, JsonSchema>;
  propertyNames?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  required?: string[];
  format?: string;
  [key: string]: unknown;
};

export interface OpenApiDocument {
  paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: JsonSchema }> } }>>;
}

export interface IntegrationKindSchema {
  kind: string;
  /** The kind names its connectors: `<source>-<target>`. */
  source: string;
  target: string;
  /** The whole request body of this kind (kind, name, connections, enabled, settings). */
  body: JsonSchema;
  settings: JsonSchema;
}

/** The request body schema of POST /v1/integrations: one alternative per kind. */
export function integrationBodySchema(document: OpenApiDocument): JsonSchema {
  const schema = document.paths['/v1/integrations']?.['post']?.requestBody?.content['application/json']?.schema;
  if (!schema) throw new Error('the OpenAPI document has no request body for POST /v1/integrations');
  return schema;
}

export function integrationKinds(document: OpenApiDocument): IntegrationKindSchema[] {
  const body = integrationBodySchema(document);
  return (body.anyOf ?? body.oneOf ?? []).map((alternative) => {
    const kind = String(alternative.properties?.['kind']?.const);
    const [source, target] = kind.split('-');
    return { kind, source, target, body: alternative, settings: alternative.properties?.['settings'] ?? {} };
  });
}

/** The settings a new integration of this kind starts with: every default the schema declares. */
export function defaultSettings(settings: JsonSchema): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(settings.properties ?? {})) {
    if (property.default !== undefined) defaults[key] = structuredClone(property.default);
  }
  return defaults;
}

/** The values a setting may take, when it is a choice: an enum, or a union of constants (ZZap's intervals). */
export function choicesOf(property: JsonSchema | undefined): unknown[] | undefined {
  if (!property) return undefined;
  if (property.enum) return property.enum;
  const alternatives = property.anyOf ?? property.oneOf;
  if (alternatives?.length && alternatives.every((alternative) => alternative.const !== undefined)) {
    return alternatives.map((alternative) => alternative.const);
  }
  return undefined;
}

/** The streams whose schedules a kind lets the user override, as '<connector>.<stream>'. */
export function scheduleStreams(settings: JsonSchema): string[] {
  const names = settings.properties?.['schedules']?.propertyNames?.enum;
  return (names ?? []).map(String);
}
