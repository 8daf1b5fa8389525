import {
  allMessageContracts,
  COMMAND_EXAMPLES,
  commandSubject,
  ContractViolation,
  EVENT_EXAMPLES,
  parseEnvelope,
} from '@junction/contracts';
import { mulberry32 } from '@junction/sandbox-kit';

// Hostile input for every subject Junction consumes: each message is one a consumer must dead-letter with a reason
// that says what is wrong, derived from the contracts' catalogue so a new subject is fuzzed without a change here.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** A subject of the catalogue with a valid envelope for it, the start of every malformed one. */
export interface CatalogueSubject {
  subject: string;
  valid: JsonObject;
}

export const BAD_KINDS = [
  'not-json',
  'truncated-json',
  'empty',
  'binary',
  'not-an-object',
  'wrong-type',
  'missing-field',
  'wrong-version',
  'deeply-nested',
  'near-size-limit',
] as const;
export type BadKind = (typeof BAD_KINDS)[number];

/** A message the stream stores and every consumer must dead-letter, once. */
export interface BadMessage {
  subject: string;
  kind: BadKind;
  body: Uint8Array;
  /** Junction's publishers send the envelope id as Nats-Msg-Id; an outside publisher may send none. */
  msgId?: string;
  /** The dead letter's reason: exactly this text, or matching this pattern. */
  reason: string | RegExp;
  /** The envelope field the reason must name. */
  field?: string;
}

/** A message over a size limit: the stream (max_msg_size) or the client (the server's max_payload) refuses it. */
export interface OversizedMessage {
  subject: string;
  body: Uint8Array;
  refusedBy: 'stream' | 'client';
}

export interface SizeLimits {
  /** The streams' max_msg_size: headers and body together. */
  maxMessageBytes: number;
  /** The server's max_payload. */
  maxPayload: number;
}

/** Every event subject and every concrete command subject (one per connector that executes it). */
export function catalogueSubjects(): CatalogueSubject[] {
  return allMessageContracts().flatMap((contract): CatalogueSubject[] => {
    if (contract.kind === 'event') return [{ subject: contract.subject, valid: asJson(EVENT_EXAMPLES[contract.subject]) }];
    const example = asJson(COMMAND_EXAMPLES[contract.action]);
    return contract.connectors.map((connector) => {
      const subject = commandSubject(connector, contract.action);
      const target = { ...(example.target as JsonObject), connector };
      return { subject, valid: { ...example, type: subject, target } };
    });
  });
}

/** Whether a NATS subject filter (`*` one token, `>` the rest) covers a subject. */
export function filterCovers(filter: string, subject: string): boolean {
  const wanted = filter.split('.');
  const tokens = subject.split('.');
  for (let index = 0; index < wanted.length; index++) {
    if (wanted[index] === '>') return tokens.length > index;
    if (index >= tokens.length || (wanted[index] !== '*' && wanted[index] !== tokens[index])) return false;
  }
  return wanted.length === tokens.length;
}

const encoder = new TextEncoder();
// Room left for the headers (Nats-Msg-Id) of a message just under the size limit.
const HEADER_ALLOWANCE_BYTES = 256;
const NOT_JSON_BODY = /^invalid message: the body is not JSON: /;

/** Seeded: the same seed, limits and calls give the same messages. */
export class HostileEvents {
  private readonly random: () => number;
  private count = 0;

  constructor(
    readonly seed: number,
    private readonly limits: SizeLimits,
  ) {
    this.random = mulberry32(seed);
  }

  /** A bad message of the given kind on the subject. */
  bad(target: CatalogueSubject, kind: BadKind): BadMessage {
    this.count++;
    // Each envelope gets its own id, as real publishers' do; half are sent with it as Nats-Msg-Id.
    const valid: JsonObject = { ...target.valid, id: `fuzz-${this.seed}-${this.count}` };
    const msgId = this.random() < 0.5 ? `fuzz:${this.seed}:${this.count}` : undefined;
    const message = (body: Uint8Array | string, reason: string | RegExp, field?: string): BadMessage => ({
      subject: target.subject,
      kind,
      body: typeof body === 'string' ? encoder.encode(body) : body,
      msgId,
      reason,
      field,
    });
    const invalidText = (text: string, field?: string) => {
      const violation = violationOf(target.subject, JSON.parse(text));
      if (!violation) throw new Error(`${target.subject}: a ${kind} message passed its contract`);
      return message(text, `invalid message: ${violation.message}`, field);
    };
    const invalid = (raw: Json, field?: string) => invalidText(JSON.stringify(raw), field);
    switch (kind) {
      case 'empty':
        return message(new Uint8Array(0), 'invalid message: the body is empty; a JSON document was expected');
      case 'binary': {
        const body = Uint8Array.from({ length: this.int(1, 4_096) }, () => this.int(0, 255));
        // 0xff never occurs in UTF-8.
        body[this.int(0, body.length - 1)] = 0xff;
        return message(body, `invalid message: the body is not UTF-8 text (${body.length} bytes of binary data)`);
      }
      case 'not-json':
        return message(this.notJson(valid), NOT_JSON_BODY);
      case 'truncated-json': {
        const text = JSON.stringify(valid);
        return message(text.slice(0, this.int(1, text.length - 1)), NOT_JSON_BODY);
      }
      case 'not-an-object':
        return invalid(this.pick<Json>([[], [valid], 42, target.subject, null, true]));
      case 'wrong-version': {
        const version = this.pick([0, -1, 1.5, (valid.version as number) + this.int(1, 9)]);
        return invalid({ ...valid, version }, 'version');
      }
      case 'deeply-nested': {
        // Written as text: JSON.stringify recurses, and this deep it runs out of stack.
        const depth = this.int(2_000, 20_000);
        const envelope = JSON.stringify({ ...valid, data: 'nested' }).replace('"nested"', `${'['.repeat(depth)}${']'.repeat(depth)}`);
        return invalidText(envelope, 'data');
      }
      case 'missing-field': {
        const mutation = this.mutated(target.subject, valid, 'missing');
        return mutation ? invalid(mutation.raw, mutation.field) : this.bad(target, 'wrong-type');
      }
      case 'wrong-type': {
        const mutation = this.mutated(target.subject, valid, 'retyped');
        if (!mutation) throw new Error(`${target.subject}: no field whose type could be broken`);
        return invalid(mutation.raw, mutation.field);
      }
      case 'near-size-limit': {
        // A wrong type padded close to the limit: unknown keys are ignored, so the reason stays the wrong type's.
        const mutation = this.mutated(target.subject, valid, 'retyped');
        if (!mutation) throw new Error(`${target.subject}: no field whose type could be broken`);
        const base = JSON.stringify({ ...(mutation.raw as JsonObject), padding: '' }).length;
        const size = this.limits.maxMessageBytes - HEADER_ALLOWANCE_BYTES - this.int(0, 4_096);
        return invalid({ ...(mutation.raw as JsonObject), padding: 'x'.repeat(size - base) }, mutation.field);
      }
    }
  }

  /** A message over the stream's limit (refused by the server) or over max_payload (refused by the client). */
  oversized(target: CatalogueSubject): OversizedMessage {
    const refusedBy = this.random() < 0.5 ? 'stream' : 'client';
    const limit = refusedBy === 'stream' ? this.limits.maxMessageBytes : this.limits.maxPayload;
    const body = new Uint8Array(limit + this.int(1, 8_192)).fill(0x20);
    return { subject: target.subject, body, refusedBy };
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)];
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }

  private notJson(valid: JsonObject): string {
    const text = this.pick([
      '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>',
      `id=${valid.id}&type=${valid.type}`,
      `{'id': '${valid.id}'}`,
      `${JSON.stringify(valid)} and then some`,
      'NaN',
      'undefined',
      `{"id": "${valid.id}", "data": {"amount": 1,}}`,
      Array.from({ length: this.int(1, 200) }, () => String.fromCharCode(this.int(0x41, 0x5a))).join(''),
    ]);
    // 'TRUE' or a stray digit run would be JSON after all: prefix such luck away.
    return isJson(text) ? `x${text}` : text;
  }

  /**
   * The valid envelope with one field removed ('missing') or given another type ('retyped'), such that the contract
   * rejects it naming that field; undefined when no field qualifies (every field optional).
   */
  private mutated(subject: string, valid: JsonObject, change: 'missing' | 'retyped'): { raw: Json; field: string } | undefined {
    const candidates = this.shuffled(fieldPaths(valid).filter((path) => change === 'retyped' || !/^\d+$/.test(path.at(-1)!)));
    for (const path of candidates) {
      const raw = structuredClone(valid);
      const field = path.join('.');
      if (change === 'missing') removeAt(raw, path);
      else setAt(raw, path, otherType(valueAt(valid, path)));
      if (violationOf(subject, raw)?.issues.some((issue) => issue.path === field)) return { raw, field };
    }
    return undefined;
  }

  private shuffled<T>(items: T[]): T[] {
    const copy = [...items];
    for (let index = copy.length - 1; index > 0; index--) {
      const other = this.int(0, index);
      [copy[index], copy[other]] = [copy[other], copy[index]];
    }
    return copy;
  }
}

/** Why the subject's contract rejects the message, or undefined when it is valid. */
function violationOf(subject: string, raw: unknown): ContractViolation | undefined {
  try {
    parseEnvelope(subject, raw);
    return undefined;
  } catch (error) {
    if (error instanceof ContractViolation) return error;
    throw error;
  }
}

function asJson(value: unknown): JsonObject {
  return JSON.parse(JSON.stringify(value)) as JsonObject;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Paths of every value below the root, e.g. ['data', 'lineItems', '0', 'quantity']. */
function fieldPaths(value: Json, prefix: string[] = []): string[][] {
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => [[...prefix, key], ...fieldPaths(child, [...prefix, key])]);
}

function valueAt(root: Json, path: string[]): Json {
  return path.reduce<Json>((node, key) => (node as JsonObject)[key], root);
}

function setAt(root: Json, path: string[], value: Json): void {
  (valueAt(root, path.slice(0, -1)) as JsonObject)[path.at(-1)!] = value;
}

function removeAt(root: Json, path: string[]): void {
  delete (valueAt(root, path.slice(0, -1)) as JsonObject)[path.at(-1)!];
}

/** A value of another JSON type than `value`. */
function otherType(value: Json): Json {
  if (value !== null && typeof value === 'object') return 'an unexpected string';
  return { unexpected: 'object' };
}
