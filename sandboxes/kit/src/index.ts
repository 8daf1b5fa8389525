export { Clock } from './clock';
export { SandboxControl, type Records } from './control-client';
export {
  FaultConfig,
  FaultRule,
  RateLimitPolicy,
  type FaultConfigInput,
  type FaultRuleInput,
  type RateLimitPolicyInput,
  type RequestLogEntry,
} from './control-schemas';
export { mulberry32, type FaultState } from './faults';
export { intParam, isParamObject, listParam, parseParams, stringParam, type ParamObject, type ParamValue } from './http/params';
export { empty, json, text, type Reply } from './http/reply';
export { header, type RawRequest, type SandboxRequest } from './http/request';
export { paginate, type Page } from './pagination';
export type { RateLimitRule } from './rate-limit';
export { Router, type Handler } from './router';
export { createSandboxApp, type Answer, type SandboxApp, type SandboxData, type SandboxDefinition } from './sandbox';
export { startSandbox, type RunningSandbox, type StartOptions } from './server';
export { Collection, Store, type CollectionOptions, type StoredRecord, type TimestampFields } from './store';
export { stableSecret } from './secrets';
