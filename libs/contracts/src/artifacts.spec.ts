import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ASYNCAPI_PATH, EVENT_SCHEMA_DIR, asyncApiDocument, renderArtifacts } from './artifacts';
import { CONNECTION_OPERATIONS } from './control';
import { COMMAND_EXAMPLES, EVENT_EXAMPLES } from './examples';
import { RegisteredContract, allMessageContracts } from './registry';

const repositoryRoot = resolve(__dirname, '../../..');
const artifacts = renderArtifacts();

type Schema = { [keyword: string]: unknown };

// A checker for exactly the JSON Schema keywords the generator emits (no validator library is a dependency).
// It throws on any other keyword, so a schema it cannot judge fails the test instead of passing unchecked.
const ANNOTATIONS = new Set(['$schema', '$defs', 'definitions', 'title', 'description', 'default', 'format']);

const isObject = (value: unknown): value is Schema => typeof value === 'object' && value !== null && !Array.isArray(value);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function resolvePointer(root: Schema, pointer: string): Schema {
  const target = pointer
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>((node, token) => (isObject(node) ? node[token.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined), root);
  if (!isObject(target)) throw new Error(`Unresolvable $ref ${pointer}`);
  return target;
}

function hasType(value: unknown, type: string): boolean {
  if (type === 'integer') return Number.isInteger(value);
  if (type === 'object') return isObject(value);
  if (type === 'array') return Array.isArray(value);
  if (type === 'null') return value === null;
  return typeof value === type;
}

function schemaErrors(schema: Schema, value: unknown, root: Schema, path = ''): string[] {
  const at = path || '/';
  const errors: string[] = [];
  const nested = (sub: unknown, item: unknown, subPath = path) => schemaErrors(sub as Schema, item, root, subPath);
  for (const [keyword, arg] of Object.entries(schema)) {
    if (ANNOTATIONS.has(keyword)) continue;
    const num = arg as number;
    switch (keyword) {
      case '$ref':
        errors.push(...nested(resolvePointer(root, arg as string), value));
        break;
      case 'type':
        if (!hasType(value, arg as string)) errors.push(`${at}: not of type ${arg}`);
        break;
      case 'const':
        if (!same(value, arg)) errors.push(`${at}: not ${JSON.stringify(arg)}`);
        break;
      case 'enum':
        if (!(arg as unknown[]).some((option) => same(option, value))) errors.push(`${at}: not one of the enum`);
        break;
      case 'properties':
        if (isObject(value)) {
          for (const [key, sub] of Object.entries(arg as Schema)) {
            if (key in value) errors.push(...nested(sub, value[key], `${path}/${key}`));
          }
        }
        break;
      case 'required':
        if (isObject(value)) for (const key of arg as string[]) if (!(key in value)) errors.push(`${at}: missing ${key}`);
        break;
      case 'additionalProperties':
        if (isObject(value)) {
          for (const key of Object.keys(value).filter((key) => !(key in ((schema.properties as Schema) ?? {})))) {
            if (arg === false) errors.push(`${at}: unexpected ${key}`);
            else errors.push(...nested(arg, value[key], `${path}/${key}`));
          }
        }
        break;
      case 'propertyNames':
        if (isObject(value)) for (const key of Object.keys(value)) errors.push(...nested(arg, key));
        break;
      case 'items':
        if (Array.isArray(value)) value.forEach((item, index) => errors.push(...nested(arg, item, `${path}/${index}`)));
        break;
      case 'minItems':
        if (Array.isArray(value) && value.length < num) errors.push(`${at}: fewer than ${num} items`);
        break;
      case 'minLength':
        if (typeof value === 'string' && [...value].length < num) errors.push(`${at}: shorter than ${num}`);
        break;
      case 'maxLength':
        if (typeof value === 'string' && [...value].length > num) errors.push(`${at}: longer than ${num}`);
        break;
      case 'pattern':
        if (typeof value === 'string' && !new RegExp(arg as string, 'u').test(value)) errors.push(`${at}: does not match ${arg}`);
        break;
      case 'minimum':
        if (typeof value === 'number' && value < num) errors.push(`${at}: below ${num}`);
        break;
      case 'maximum':
        if (typeof value === 'number' && value > num) errors.push(`${at}: above ${num}`);
        break;
      case 'exclusiveMinimum':
        if (typeof value === 'number' && value <= num) errors.push(`${at}: not above ${num}`);
        break;
      case 'anyOf':
        if (!(arg as Schema[]).some((option) => nested(option, value).length === 0)) errors.push(`${at}: matches no option`);
        break;
      case 'oneOf':
        if ((arg as Schema[]).filter((option) => nested(option, value).length === 0).length !== 1) {
          errors.push(`${at}: does not match exactly one option`);
        }
        break;
      case 'allOf':
        for (const option of arg as Schema[]) errors.push(...nested(option, value));
        break;
      default:
        throw new Error(`The test's schema checker does not know the keyword ${keyword}`);
    }
  }
  return errors;
}

function exampleOf(contract: RegisteredContract): Schema {
  return (contract.kind === 'event' ? EVENT_EXAMPLES[contract.subject] : COMMAND_EXAMPLES[contract.action]) as Schema;
}

function messageSchema(contract: RegisteredContract): Schema {
  const artifact = artifacts.find((candidate) => candidate.path === `${EVENT_SCHEMA_DIR}/${contract.type}.schema.json`);
  if (!artifact) throw new Error(`No schema file for ${contract.type}`);
  return JSON.parse(artifact.content);
}

describe('generated files', () => {
  it('are up to date (run npm run generate -w @junction/contracts when this fails)', () => {
    const stale = artifacts
      .filter(({ path, content }) => {
        const file = join(repositoryRoot, path);
        return !existsSync(file) || readFileSync(file, 'utf8') !== content;
      })
      .map(({ path }) => path);
    const generated = new Set(artifacts.map(({ path }) => path));
    const leftover = readdirSync(join(repositoryRoot, EVENT_SCHEMA_DIR))
      .map((file) => `${EVENT_SCHEMA_DIR}/${file}`)
      .filter((path) => !generated.has(path));
    if (stale.length > 0 || leftover.length > 0) {
      throw new Error(
        `Generated docs are stale (${[...stale, ...leftover].join(', ')}): run npm run generate -w @junction/contracts`,
      );
    }
  });

  it('render the same bytes every time', () => {
    expect(renderArtifacts()).toEqual(artifacts);
  });

  it('are one schema per message plus the AsyncAPI document', () => {
    expect(artifacts.map(({ path }) => path)).toEqual(
      [...allMessageContracts().map((contract) => `${EVENT_SCHEMA_DIR}/${contract.type}.schema.json`), ASYNCAPI_PATH].sort(),
    );
  });
});

describe.each(allMessageContracts().map((contract) => [contract.type, contract] as const))('the %s schema', (_type, contract) => {
  const schema = messageSchema(contract);
  const example = exampleOf(contract);

  it('is a draft 2020-12 schema of the whole envelope', () => {
    expect(schema).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      title: `${contract.type} v${contract.version}`,
      type: 'object',
      required:
        contract.kind === 'event'
          ? ['id', 'type', 'version', 'source', 'occurredAt', 'data']
          : ['id', 'type', 'version', 'source', 'occurredAt', 'data', 'target'],
    });
    expect(schema.properties).toMatchObject({ version: { const: contract.version } });
  });

  it('pins the type to the subject', () => {
    const type = (schema.properties as Schema).type;
    if (contract.kind === 'event') expect(type).toMatchObject({ const: contract.subject });
    else expect(type).toMatchObject({ enum: contract.connectors.map((connector) => `cmd.${connector}.${contract.action}`) });
  });

  it('accepts the example envelope, as zod does', () => {
    expect(contract.envelope.safeParse(example).success).toBe(true);
    expect(schemaErrors(schema, example, schema)).toEqual([]);
  });

  it.each([
    ['without data', (envelope: Schema) => ({ ...envelope, data: undefined })],
    ['with another version', (envelope: Schema) => ({ ...envelope, version: contract.version + 1 })],
    ['with another type', (envelope: Schema) => ({ ...envelope, type: 'something.else' })],
    ['with an id containing whitespace', (envelope: Schema) => ({ ...envelope, id: 'an id' })],
    ['with empty data', (envelope: Schema) => ({ ...envelope, data: {} })],
  ])('rejects the example %s, as zod does', (_label, mutate) => {
    const invalid = JSON.parse(JSON.stringify(mutate(example)));
    expect(contract.envelope.safeParse(invalid).success).toBe(false);
    expect(schemaErrors(schema, invalid, schema)).not.toEqual([]);
  });
});

describe('the deal.won schema', () => {
  it('rejects a line item quantity of zero like zod does', () => {
    const contract = allMessageContracts().find((candidate) => candidate.type === 'deal.won') as RegisteredContract;
    const schema = messageSchema(contract);
    const example = EVENT_EXAMPLES['deal.won'];
    const invalid = { ...example, data: { ...example.data, lineItems: [{ ...example.data.lineItems[0], quantity: 0 }] } };
    expect(contract.envelope.safeParse(invalid).success).toBe(false);
    expect(schemaErrors(schema, invalid, schema)).toEqual(['/data/lineItems/0/quantity: not above 0']);
  });
});

describe('the AsyncAPI document', () => {
  const document = asyncApiDocument() as Schema;
  const channels = document.channels as { [name: string]: Schema };
  const operations = document.operations as { [name: string]: Schema };

  it('is AsyncAPI 3.0.0', () => {
    expect(document).toMatchObject({ asyncapi: '3.0.0', info: { title: 'Junction' }, defaultContentType: 'application/json' });
  });

  it('only holds references that resolve', () => {
    const refs = JSON.stringify(document).match(/"\$ref":"[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(() => resolvePointer(document, JSON.parse(`{${ref}}`).$ref)).not.toThrow();
  });

  it('has a channel, message and send/receive operations per contract', () => {
    for (const contract of allMessageContracts()) {
      expect(channels[contract.type]).toMatchObject({ address: contract.subject });
      expect(resolvePointer(document, `#/components/messages/${contract.type}`)).toMatchObject({
        headers: { $ref: '#/components/schemas/JetStreamHeaders' },
      });
      expect(operations[`${contract.type}.send`]).toMatchObject({ action: 'send' });
      expect(operations[`${contract.type}.receive`]).toMatchObject({ action: 'receive' });
      if (contract.kind === 'command') {
        expect(channels[contract.type].parameters).toEqual({ connector: expect.objectContaining({ enum: contract.connectors }) });
      }
    }
  });

  it('documents the Nats-Msg-Id and trace headers', () => {
    expect(resolvePointer(document, '#/components/schemas/JetStreamHeaders')).toMatchObject({
      required: ['Nats-Msg-Id'],
      properties: { 'Nats-Msg-Id': { type: 'string' }, traceparent: { type: 'string' }, tracestate: { type: 'string' } },
    });
  });

  it('describes connection control as request/reply', () => {
    for (const op of CONNECTION_OPERATIONS) {
      expect(channels[`ctl.connection.${op}`]).toMatchObject({ address: `ctl.{connector}.connection.${op}` });
      expect(operations[`ctl.connection.${op}.receive`]).toMatchObject({
        action: 'receive',
        reply: { channel: { $ref: `#/channels/ctl.connection.${op}.reply` } },
      });
    }
  });

  it('validates its message examples against its own schemas', () => {
    const messages = (document.components as Schema).messages as { [name: string]: Schema };
    for (const message of Object.values(messages)) {
      for (const { payload } of (message.examples as { payload: unknown }[] | undefined) ?? []) {
        expect(schemaErrors(message.payload as Schema, payload, document)).toEqual([]);
      }
    }
  });
});
