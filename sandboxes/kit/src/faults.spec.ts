import { Faults } from './faults';

function outcomes(faults: Faults, requests: number): string[] {
  return Array.from({ length: requests }, () => {
    const plan = faults.plan('POST', '/api/v1/customers');
    return plan.replaceWith ? `${plan.replaceWith.kind}` : plan.loseResponse ? 'lost' : 'ok';
  });
}

describe('Faults', () => {
  it('fires a counted burst on the next matching requests only', () => {
    const faults = new Faults();
    faults.configure({ rules: [{ kind: 'rate-limit', count: 2, pathPrefix: '/api/v1/customers' }] });
    expect(faults.plan('GET', '/api/v1/products').fired).toEqual([]);
    expect(outcomes(faults, 3)).toEqual(['rate-limit', 'rate-limit', 'ok']);
    expect(faults.state().rules[0]).toMatchObject({ kind: 'rate-limit', retryAfterSeconds: 1, remaining: 0 });
  });

  it('repeats the same fractional faults for the same seed', () => {
    const config = { seed: 42, rules: [{ kind: 'error' as const, rate: 0.3 }] };
    const first = new Faults();
    first.configure(config);
    const second = new Faults();
    second.configure(config);
    const sequence = outcomes(first, 200);
    expect(outcomes(second, 200)).toEqual(sequence);
    const errors = sequence.filter((outcome) => outcome === 'error').length;
    expect(errors).toBeGreaterThan(30);
    expect(errors).toBeLessThan(90);
  });

  it('adds latency on top of an answer-deciding rule and lets only the first such rule decide', () => {
    const faults = new Faults();
    faults.configure({
      rules: [
        { kind: 'latency', ms: 20, methods: ['post'] },
        { kind: 'lose-response', count: 1 },
        { kind: 'error', status: 503, count: 1 },
      ],
    });
    const first = faults.plan('POST', '/x');
    expect(first).toMatchObject({ delayMs: 20, loseResponse: true, fired: ['latency', 'lose-response'] });
    expect(first.replaceWith).toBeUndefined();
    expect(faults.plan('POST', '/x')).toMatchObject({ replaceWith: { kind: 'error', status: 503 }, fired: ['latency', 'error'] });
    expect(faults.plan('GET', '/x').fired).toEqual([]);
  });

  it('fires in bursts at the rule rate and counts every firing', () => {
    const faults = new Faults();
    faults.configure({ seed: 9, rules: [{ kind: 'rate-limit', rate: 0.05, burst: 4 }] });
    const sequence = outcomes(faults, 400);
    const starts = sequence.flatMap((outcome, index) => (outcome !== 'ok' && sequence[index - 1] !== outcome ? [index] : []));
    expect(starts.length).toBeGreaterThan(2);
    for (const start of starts.filter((index) => index < 396)) expect(sequence.slice(start, start + 4)).toEqual(Array(4).fill('rate-limit'));
    const fired = sequence.filter((outcome) => outcome !== 'ok').length;
    expect(faults.state().rules[0]).toMatchObject({ burst: 4, fired });
  });

  it('holds the answer back after handling when latency says afterHandling', () => {
    const faults = new Faults();
    faults.configure({ rules: [{ kind: 'latency', ms: 30 }, { kind: 'latency', ms: 500, afterHandling: true, methods: ['POST'] }] });
    expect(faults.plan('POST', '/x')).toMatchObject({ delayMs: 30, answerDelayMs: 500 });
    expect(faults.plan('GET', '/x')).toMatchObject({ delayMs: 30, answerDelayMs: 0 });
  });
});
