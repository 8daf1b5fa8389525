import { toYaml } from './yaml';

describe('toYaml', () => {
  it('writes nested mappings and sequences in block style', () => {
    const yaml = toYaml({
      asyncapi: '3.0.0',
      info: { title: 'Junction', version: 1 },
      tags: ['events', 'commands'],
      servers: [{ host: 'localhost', port: 4222 }, { host: 'nats' }],
      matrix: [[1, 2], []],
    });
    expect(yaml).toBe(
      [
        'asyncapi: "3.0.0"',
        'info:',
        '  title: Junction',
        '  version: 1',
        'tags:',
        '  - events',
        '  - commands',
        'servers:',
        '  - host: localhost',
        '    port: 4222',
        '  - host: nats',
        'matrix:',
        '  - - 1',
        '    - 2',
        '  - []',
        '',
      ].join('\n'),
    );
  });

  it('quotes strings a YAML reader would take for something else', () => {
    const yaml = toYaml({
      yes: 'no',
      flag: 'true',
      empty: '',
      number: '42',
      ref: '#/components/schemas/Deal',
      address: 'cmd.{connector}.estimate.create',
      sentence: 'Key: value # not a comment',
      multiline: 'a\nb',
      $ref: '$ref',
      plain: 'deal.won',
    });
    expect(yaml).toBe(
      [
        '"yes": "no"',
        'flag: "true"',
        'empty: ""',
        'number: "42"',
        'ref: "#/components/schemas/Deal"',
        'address: "cmd.{connector}.estimate.create"',
        'sentence: "Key: value # not a comment"',
        'multiline: "a\\nb"',
        '$ref: $ref',
        'plain: deal.won',
        '',
      ].join('\n'),
    );
  });

  it('writes scalars, empty collections and nothing for undefined properties', () => {
    expect(toYaml({ a: null, b: false, c: -1.5, d: {}, e: [], f: undefined })).toBe('a: null\nb: false\nc: -1.5\nd: {}\ne: []\n');
    expect(toYaml('text')).toBe('text\n');
    expect(toYaml([])).toBe('[]\n');
  });
});
