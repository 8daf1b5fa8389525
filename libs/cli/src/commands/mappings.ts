import { readFileSync, writeFileSync } from 'node:fs';
import type { Integration, OpenApiDocument } from '@junction/console';
import { ApiError } from '../client';
import { checkMappings, readMappingsYaml, toMappingsYaml, type MappingIssue } from '../mappings-file';
import { UsageError } from '../settings';
import { printJson, type CommandContext, type ExitCode } from './context';
import { findIntegration } from './resolve';

/** `mappings export [file.yaml] [--integration i]...`: the integrations' settings as reviewable YAML. */
export async function exportMappings(context: CommandContext, file: string | undefined, only: string[]): Promise<ExitCode> {
  const integrations = only.length > 0
    ? await Promise.all(only.map((idOrName) => findIntegration(context.api, idOrName)))
    : (await context.api.get<{ integrations: Integration[] }>('/v1/integrations')).integrations;
  const yaml = toMappingsYaml(integrations);
  if (file) {
    writeFileSync(file, yaml);
    if (context.json) printJson(context.io, { file, integrations: integrations.length });
    else context.io.err(`wrote ${integrations.length} integrations to ${file}`);
  } else context.io.out(yaml.trimEnd());
  return 0;
}

/**
 * `mappings import <file.yaml> [--check]`: checks every entry against the API's schema first, then saves each: an
 * entry whose id exists replaces that integration, any other is created. The API's own refusals (400 with issues,
 * 409) are reported per entry. --check stops after the schema check.
 */
export async function importMappings(context: CommandContext, file: string | undefined, options: { check: boolean }): Promise<ExitCode> {
  if (!file) throw new UsageError('name the mappings file');
  const { io, api } = context;
  const read = readMappingsYaml(readFileSync(file, 'utf8'));
  const issues = read.issues.length > 0 ? read.issues : checkMappings(read.entries, await api.get<OpenApiDocument>('/openapi.json'));
  if (issues.length > 0 || options.check) {
    if (context.json) printJson(io, { valid: issues.length === 0, issues });
    else if (issues.length > 0) reportIssues(context, file, issues);
    else io.out(`${file}: ${read.entries.length} integrations, valid`);
    return issues.length > 0 ? 1 : 0;
  }
  const { integrations } = await api.get<{ integrations: Integration[] }>('/v1/integrations');
  const results: Array<{ index: number; id?: string; name: string; action: 'created' | 'updated' | 'failed'; issues?: MappingIssue[] }> = [];
  for (const [index, { id, ...body }] of read.entries.entries()) {
    const exists = id !== undefined && integrations.some((integration) => integration.id === id);
    try {
      const saved = exists
        ? (await api.send<{ integration: Integration }>('PUT', `/v1/integrations/${id}`, body)).integration
        : await api.send<Integration>('POST', '/v1/integrations', body);
      results.push({ index, id: saved.id, name: saved.name, action: exists ? 'updated' : 'created' });
    } catch (error) {
      if (!(error instanceof ApiError) || error.status >= 500) throw error;
      const found = error.body.issues?.length ? error.body.issues : [{ path: '', message: error.body.message ?? error.body.error }];
      const entryIssues = found.map((issue) => ({ path: `integrations[${index}]${issue.path ? `.${issue.path}` : ''}`, message: issue.message }));
      results.push({ index, id, name: body.name, action: 'failed', issues: entryIssues });
    }
  }
  if (context.json) printJson(io, { results });
  else for (const result of results) {
    if (result.issues) reportIssues(context, file, result.issues);
    else io.out(`${result.action} ${result.name} (${result.id})`);
  }
  return results.every((result) => result.action !== 'failed') ? 0 : 1;
}

function reportIssues(context: CommandContext, file: string, issues: MappingIssue[]): void {
  for (const issue of issues) context.io.err(`${file}: ${issue.path}: ${issue.message}`);
}
