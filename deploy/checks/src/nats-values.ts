import { parse } from 'yaml';
import { type BusUsage, requiredPublish, requiredSubscribe } from './bus-usage';
import { readWorkspaceFile } from './workspace';

export interface NatsPermissions {
  publish?: { allow?: string[]; deny?: string[] };
  subscribe?: { allow?: string[]; deny?: string[] };
  allow_responses?: boolean;
}

export interface NatsUser {
  user: string;
  password: string;
  permissions?: NatsPermissions;
}

export interface NatsValues {
  config: {
    jetstream: { enabled: boolean; fileStore: { enabled: boolean } };
    merge: { accounts: Record<string, { jetstream?: string; users: NatsUser[] }> };
  };
  container: { env: Record<string, { valueFrom?: { secretKeyRef?: { name: string; key: string } } }> };
}

/** deploy/nats/values.yaml, the values for the official NATS Helm chart. */
export function loadNatsValues(): NatsValues {
  return parse(readWorkspaceFile('deploy', 'nats', 'values.yaml')) as NatsValues;
}

/** Whether a NATS subject pattern (with * and >) covers a concrete subject. */
export function subjectMatches(pattern: string, subject: string): boolean {
  const patternTokens = pattern.split('.');
  const subjectTokens = subject.split('.');
  for (let index = 0; index < patternTokens.length; index++) {
    if (patternTokens[index] === '>') return subjectTokens.length > index;
    if (index >= subjectTokens.length) return false;
    if (patternTokens[index] !== '*' && patternTokens[index] !== subjectTokens[index]) return false;
  }
  return patternTokens.length === subjectTokens.length;
}

/** As nats-server decides: allowed by an allow entry (or no allow list) and by no deny entry. */
export function mayPublish(user: NatsUser, subject: string): boolean {
  return permits(user.permissions?.publish, subject);
}

export function maySubscribe(user: NatsUser, subject: string): boolean {
  return permits(user.permissions?.subscribe, subject);
}

function permits(rules: { allow?: string[]; deny?: string[] } | undefined, subject: string): boolean {
  const allowed = rules?.allow === undefined || rules.allow.some((pattern) => subjectMatches(pattern, subject));
  return allowed && !(rules?.deny ?? []).some((pattern) => subjectMatches(pattern, subject));
}

/**
 * Where a user's permissions differ from what the service's code needs, over the candidate subjects: each one must be
 * allowed exactly when some required pattern covers it.
 */
export function permissionProblems(
  user: NatsUser,
  usage: BusUsage,
  candidates: { publish: string[]; subscribe: string[] },
): string[] {
  const compare = (verb: 'publish' | 'subscribe', required: string[], subjects: string[], may: (subject: string) => boolean) =>
    subjects.flatMap((subject) => {
      const needed = required.some((pattern) => subjectMatches(pattern, subject));
      if (needed === may(subject)) return [];
      return [`${user.user} ${needed ? 'may not' : 'may'} ${verb} ${subject}${needed ? ', which it needs' : ' without needing to'}`];
    });
  return [
    ...compare('publish', requiredPublish(usage), candidates.publish, (subject) => mayPublish(user, subject)),
    ...compare('subscribe', requiredSubscribe(usage), candidates.subscribe, (subject) => maySubscribe(user, subject)),
  ];
}
