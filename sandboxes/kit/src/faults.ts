import { randomInt } from 'node:crypto';
import { FaultConfig, type FaultConfigInput, type FaultRule } from './control-schemas';

type ShortCircuitRule = Extract<FaultRule, { kind: 'error' | 'rate-limit' }>;
export type MalformedRule = Extract<FaultRule, { kind: 'malformed' }>;

/** What the injected faults do to one request, decided before it is handled. */
export interface FaultPlan {
  delayMs: number;
  /** Hold the answer this long after handling the request. */
  answerDelayMs: number;
  /** Answer with this fault instead of handling the request. */
  replaceWith?: ShortCircuitRule;
  /** Handle the request, then destroy the connection without answering. */
  loseResponse: boolean;
  /** Answer in a shape that breaks the vendor's schema (see the `malformed` rule). */
  malformed?: MalformedRule;
  /** Kinds of the rules that fired, for the request log. */
  fired: FaultRule['kind'][];
}

interface ActiveRule {
  rule: FaultRule;
  /** Firings left; undefined = unlimited. */
  remaining?: number;
  /** Firings left of the burst under way. */
  burstLeft: number;
  fired: number;
}

export interface FaultState {
  seed: number;
  /** Each rule with its firings left (`count` rules) and fired so far. */
  rules: Array<FaultRule & { remaining?: number; fired: number }>;
}

/** The faults set through POST /__sandbox/faults; rules are checked in order for every API request. */
export class Faults {
  private rules: ActiveRule[] = [];
  private seed = 0;
  private random: () => number = mulberry32(0);

  configure(input: FaultConfigInput): void {
    const config = FaultConfig.parse(input);
    this.seed = config.seed ?? randomInt(2 ** 31);
    this.random = mulberry32(this.seed);
    this.rules = config.rules.map((rule) => ({ rule, remaining: rule.count, burstLeft: 0, fired: 0 }));
  }

  clear(): void {
    this.configure({ rules: [] });
  }

  state(): FaultState {
    return { seed: this.seed, rules: this.rules.map(({ rule, remaining, fired }) => ({ ...rule, remaining, fired })) };
  }

  plan(method: string, path: string): FaultPlan {
    const plan: FaultPlan = { delayMs: 0, answerDelayMs: 0, loseResponse: false, fired: [] };
    for (const active of this.rules) {
      const { rule } = active;
      if (!applies(rule, method, path)) continue;
      // Once a rule decides the answer, later answer-deciding rules neither fire nor spend their counts.
      const decidesAnswer = rule.kind !== 'latency';
      if (decidesAnswer && (plan.replaceWith || plan.loseResponse || plan.malformed)) continue;
      if (!this.fires(active)) continue;
      plan.fired.push(rule.kind);
      if (rule.kind === 'latency' && rule.afterHandling) plan.answerDelayMs += rule.ms;
      else if (rule.kind === 'latency') plan.delayMs += rule.ms;
      else if (rule.kind === 'lose-response') plan.loseResponse = true;
      else if (rule.kind === 'malformed') plan.malformed = rule;
      else plan.replaceWith = rule;
    }
    return plan;
  }

  private fires(active: ActiveRule): boolean {
    if (active.remaining === 0) return false;
    // Draw only for fractional rates and outside bursts, so rules with rate 1 never shift the sequence of the others.
    const inBurst = active.burstLeft > 0;
    const hit = inBurst || active.rule.rate >= 1 || this.random() < active.rule.rate;
    if (!hit) return false;
    active.burstLeft = inBurst ? active.burstLeft - 1 : active.rule.burst - 1;
    active.fired += 1;
    if (active.remaining !== undefined) active.remaining -= 1;
    return true;
  }
}

function applies(rule: FaultRule, method: string, path: string): boolean {
  if (rule.pathPrefix !== undefined && !path.startsWith(rule.pathPrefix)) return false;
  return !rule.methods || rule.methods.some((allowed) => allowed.toUpperCase() === method);
}

/** A small seeded generator (mulberry32): the same seed gives the same sequence in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
