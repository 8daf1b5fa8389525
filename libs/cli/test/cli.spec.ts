import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFieldValues } from '../src/commands/connections';
import { run, type Io } from '../src/index';
import { checkMappings, readMappingsYaml, toMappingsYaml } from '../src/mappings-file';
import { fields, progressBar, table } from '../src/output';
import { resolveTarget, UsageError } from '../src/settings';

function capture(): Io & { lines: string[] } {
  const lines: string[] = [];
  return { lines, out: (text) => lines.push(text), err: (text) => lines.push(text), interactive: false };
}

describe('usage', () => {
  it('answers --help with 0 and a wrong command or option with 2, before looking for a token', async () => {
    const io = capture();
    expect(await run(['--help'], io, {})).toBe(0);
    expect(io.lines.join('\n')).toContain('junction mappings import <file.yaml> [--check]');
    expect(await run(['integrations', 'remove'], capture(), {})).toBe(2);
    expect(await run(['sync', 'x', '--bogus'], capture(), {})).toBe(2);
    const noToken = capture();
    expect(await run(['integrations', 'list'], noToken, {})).toBe(2);
    expect(noToken.lines.join()).toContain('no control API token');
  });

  it('wants dead letters named by their sequence numbers, one at a time for show', async () => {
    const target = ['--url', 'http://127.0.0.1:9', '--token', 't'];
    for (const argv of [['dlq', 'show'], ['dlq', 'show', '1', '2'], ['dlq', 'discard'], ['dlq', 'discard', '7', 'seven'], ['dlq', 'replay', '-1']]) {
      const io = capture();
      expect(await run([...argv, ...target], io, {})).toBe(2);
      expect(io.lines.join()).toMatch(/sequence numbers|one dead letter at a time|Unknown option/);
    }
  });

  it('answers an unreachable control API with 3', async () => {
    const io = capture();
    expect(await run(['integrations', 'list', '--url', 'http://127.0.0.1:9', '--token', 't'], io, {})).toBe(3);
    expect(io.lines.join()).toContain('cannot reach the control API at http://127.0.0.1:9');
  });
});

describe('where the control API is', () => {
  it('takes flags, then JUNCTION_* or CONTROL_API_TOKEN, then the laptop token file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'junction-'));
    try {
      mkdirSync(join(dir, '.junction'));
      writeFileSync(join(dir, '.junction', 'control-token'), 'from-file\n');
      expect(resolveTarget({}, {}, dir)).toEqual({ url: 'http://127.0.0.1:8080', token: 'from-file' });
      expect(resolveTarget({}, { CONTROL_API_TOKEN: 'service' }, dir).token).toBe('service');
      expect(resolveTarget({ token: 'flag', url: 'http://x' }, { JUNCTION_TOKEN: 'env' }, dir)).toEqual({ url: 'http://x', token: 'flag' });
      expect(() => resolveTarget({}, {}, tmpdir())).toThrow(UsageError);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});

describe('field values', () => {
  it('are key=value, and key=@file reads a secret from a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'junction-'));
    try {
      writeFileSync(join(dir, 'key'), 'secret\n');
      expect(parseFieldValues(['url=https://a=b', `apiKey=@${join(dir, 'key')}`])).toEqual({ url: 'https://a=b', apiKey: 'secret' });
      expect(() => parseFieldValues(['novalue'])).toThrow(UsageError);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});

describe('output', () => {
  it('pads columns and draws progress', () => {
    expect(table(['A', 'BB'], [['long', 1], [undefined, null]])).toBe('A     BB\nlong  1\n      ');
    expect(progressBar({ done: 5, total: 10 }, 10)).toBe('[#####-----] 5 / 10 (50%)');
    expect(progressBar({ done: 3 }, 4)).toBe('[....] 3');
    expect(fields([['subject', 'deal.won'], ['message id', undefined], ['deliveries', 3]])).toBe('subject     deal.won\ndeliveries  3');
  });
});

describe('mappings files', () => {
  const integration = {
    id: '0b6c1f5e-0000-4000-8000-000000000001', kind: 'shoprenter-minicrm', name: 'Webshop', sourceConnectionId: 's',
    targetConnectionId: 'm', enabled: true, settings: { statusMap: { '1': { id: '10', name: 'Új megrendelés' } } }, schedules: [],
  };
  const openapi = {
    paths: {
      '/v1/integrations': {
        post: {
          requestBody: {
            content: {
              'application/json': {
                schema: {
                  anyOf: [{
                    type: 'object',
                    properties: {
                      kind: { const: 'shoprenter-minicrm' }, name: { type: 'string', minLength: 1 }, sourceConnectionId: { type: 'string' },
                      targetConnectionId: { type: 'string' }, enabled: { type: 'boolean' },
                      settings: { type: 'object', properties: { statusMap: { type: 'object' } }, additionalProperties: false },
                    },
                    required: ['kind', 'name', 'sourceConnectionId', 'targetConnectionId'],
                    additionalProperties: false,
                  }],
                },
              },
            },
          },
        },
      },
    },
  };

  it('round-trip an integration through reviewable YAML without its derived schedules', () => {
    const yaml = toMappingsYaml([integration as never]);
    expect(yaml).toMatch(/^# Junction mappings/);
    expect(yaml).toContain('name: Új megrendelés');
    const { schedules: _derived, ...entry } = integration;
    expect(readMappingsYaml(yaml)).toEqual({ entries: [entry], issues: [] });
    expect(checkMappings(readMappingsYaml(yaml).entries, openapi)).toEqual([]);
  });

  it('name what is wrong: YAML syntax, a missing list, an unknown kind or setting', () => {
    expect(readMappingsYaml('integrations: [').issues).toEqual([expect.objectContaining({ path: expect.stringMatching(/^line \d+/) })]);
    expect(readMappingsYaml('other: 1').issues).toEqual([{ path: 'integrations', message: 'expected a list of integrations' }]);
    const entries = [
      { ...integration, kind: 'mystery' },
      { kind: 'shoprenter-minicrm', name: '', sourceConnectionId: 's', targetConnectionId: 'm', settings: { nightly: true } },
    ];
    expect(checkMappings(entries as never, openapi)).toEqual([
      { path: 'integrations[0].kind', message: 'must be one of shoprenter-minicrm' },
      { path: 'integrations[1].name', message: 'must NOT have fewer than 1 characters' },
      { path: 'integrations[1].settings', message: 'must NOT have additional properties: nightly' },
    ]);
  });
});
