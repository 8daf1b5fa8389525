export { run, USAGE } from './cli';
export { ApiError, ControlApiClient } from './client';
export { checkMappings, readMappingsYaml, toMappingsYaml, type MappingEntry, type MappingIssue } from './mappings-file';
export { progressBar, table, type Io } from './output';
export { resolveTarget, UsageError } from './settings';
