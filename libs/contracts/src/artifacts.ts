import { z } from 'zod';
import { CONNECTORS } from './connectors';
import { CONNECTION_CONTROL, CONNECTION_OPERATIONS, ConnectionOperation, ControlReply } from './control';
import { COMMAND_EXAMPLES, EVENT_EXAMPLES } from './examples';
import { RegisteredContract, allMessageContracts } from './registry';
import { schemaDocs } from './schema-docs';
import { JsonValue, toYaml } from './yaml';

// Renders the checked-in documentation of every message: one JSON Schema per event/command envelope and
// one AsyncAPI document. Pure, so a test can compare it with the files on disk.

export interface Artifact {
  /** Relative to the repository root. */
  path: string;
  content: string;
}

type JsonObject = { [key: string]: JsonValue | undefined };

export const EVENT_SCHEMA_DIR = 'docs/events';
export const ASYNCAPI_PATH = 'docs/asyncapi.yaml';
// Bump when a message contract changes.
const ASYNCAPI_INFO_VERSION = '0.1.0';

type Target = 'draft-2020-12' | 'draft-7';

function jsonSchema(schema: z.ZodType, target: Target): JsonObject {
  // 'input': document what producers must send, so fields with defaults are optional.
  const result = z.toJSONSchema(schema, { target, io: 'input', metadata: schemaDocs }) as JsonObject;
  // Registry ids only name the definitions; 'id' is not a JSON Schema keyword here.
  delete result.id;
  const definitions = (result.$defs ?? result.definitions ?? {}) as { [name: string]: JsonObject };
  for (const definition of Object.values(definitions)) delete definition.id;
  return result;
}

function exampleFor(contract: RegisteredContract): JsonValue {
  return contract.kind === 'event' ? EVENT_EXAMPLES[contract.subject] : COMMAND_EXAMPLES[contract.action];
}

function subjectNote(contract: RegisteredContract): string {
  return contract.kind === 'event'
    ? ''
    : ` Published on ${contract.subject} for connector ${contract.connectors.join(' | ')}; type is that concrete subject.`;
}

function messageSchemaArtifact(contract: RegisteredContract): Artifact {
  const { $schema, ...schema } = jsonSchema(contract.envelope, 'draft-2020-12');
  const document = {
    $schema,
    title: `${contract.type} v${contract.version}`,
    description: contract.summary + subjectNote(contract),
    ...schema,
  };
  return { path: `${EVENT_SCHEMA_DIR}/${contract.type}.schema.json`, content: `${JSON.stringify(document, null, 2)}\n` };
}

const pascalCase = (dotted: string) =>
  dotted
    .split(/[._]/)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');

const ref = (pointer: string): JsonObject => ({ $ref: pointer });

// draft-7 output refers to '#/definitions/X'; in the AsyncAPI document X lives in components.schemas.
function toComponentRefs(schema: JsonValue): JsonValue {
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/definitions/', '"#/components/schemas/'));
}

const TRACE_HEADERS: JsonObject = {
  traceparent: {
    type: 'string',
    pattern: '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$',
    description: 'W3C trace context of the sending span; receivers continue the trace from it.',
  },
  tracestate: { type: 'string', description: 'W3C trace state, passed along unchanged.' },
};

const HEADER_SCHEMAS: JsonObject = {
  JetStreamHeaders: {
    type: 'object',
    required: ['Nats-Msg-Id'],
    properties: {
      'Nats-Msg-Id': {
        type: 'string',
        description: 'The envelope id; JetStream drops a message whose id it already stored within the duplicate window.',
      },
      ...TRACE_HEADERS,
    },
  },
  ControlHeaders: { type: 'object', properties: TRACE_HEADERS },
};

/** Collects components.schemas, refusing two different schemas under one name. */
class SchemaComponents {
  readonly schemas: JsonObject = { ...HEADER_SCHEMAS };

  add(name: string, schema: z.ZodType): JsonObject {
    const { $schema: _dialect, definitions, ...root } = jsonSchema(schema, 'draft-7');
    for (const [definitionName, definition] of Object.entries((definitions ?? {}) as { [name: string]: JsonObject })) {
      this.put(definitionName, toComponentRefs(definition));
    }
    this.put(name, toComponentRefs(root));
    return ref(`#/components/schemas/${name}`);
  }

  private put(name: string, schema: JsonValue): void {
    const existing = this.schemas[name];
    if (existing !== undefined && JSON.stringify(existing) !== JSON.stringify(schema)) {
      throw new Error(`Two different schemas are named ${name}`);
    }
    this.schemas[name] = schema;
  }
}

const connectorParameter = (connectors: readonly string[], description: string): JsonObject => ({
  connector: { enum: [...connectors], description },
});

function sortedByKey(record: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function asyncApiDocument(): JsonObject {
  const components = new SchemaComponents();
  const channels: JsonObject = {};
  const operations: JsonObject = {};
  const messages: JsonObject = {};

  for (const contract of allMessageContracts()) {
    const name = contract.type;
    const example = exampleFor(contract) as JsonObject;
    const payloadName = pascalCase(contract.kind === 'event' ? contract.subject : contract.action) + pascalCase(contract.kind);
    messages[name] = {
      name,
      title: `${name} v${contract.version}`,
      summary: contract.summary,
      contentType: 'application/json',
      headers: ref('#/components/schemas/JetStreamHeaders'),
      payload: components.add(payloadName, contract.envelope),
      examples: [{ name: 'example', headers: { 'Nats-Msg-Id': example.id }, payload: example }],
    };
    channels[name] = {
      address: contract.subject,
      summary: contract.summary,
      ...(contract.kind === 'command'
        ? { parameters: connectorParameter(contract.connectors, 'The connector that executes the command.') }
        : {}),
      messages: { [name]: ref(`#/components/messages/${name}`) },
    };
    const channelMessages = [ref(`#/channels/${name}/messages/${name}`)];
    operations[`${name}.send`] = { action: 'send', channel: ref(`#/channels/${name}`), messages: channelMessages };
    operations[`${name}.receive`] = { action: 'receive', channel: ref(`#/channels/${name}`), messages: channelMessages };
  }

  for (const op of CONNECTION_OPERATIONS) {
    addControlOperation(op, components, { channels, operations, messages });
  }

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Junction',
      version: ASYNCAPI_INFO_VERSION,
      description: [
        'Messages on the Junction NATS bus. Events, commands and sync/config messages are JSON envelopes on JetStream;',
        'connection control is request/reply over core NATS. Operations are seen from Junction: its services both send',
        'and receive events and commands, and connectors answer control requests. A deployment may prefix every',
        'subject with a namespace (JUNCTION_NAMESPACE). Messages that cannot be processed move to dlq.<subject>.',
      ].join(' '),
      license: { name: 'Apache-2.0' },
    },
    defaultContentType: 'application/json',
    channels: sortedByKey(channels),
    operations: sortedByKey(operations),
    components: { schemas: sortedByKey(components.schemas), messages: sortedByKey(messages) },
  };
}

function addControlOperation(
  op: ConnectionOperation,
  components: SchemaComponents,
  target: { channels: JsonObject; operations: JsonObject; messages: JsonObject },
): void {
  const { summary, request, data } = CONNECTION_CONTROL[op];
  const name = `ctl.connection.${op}`;
  const requestSchemaName = schemaDocs.get(request)?.id;
  if (!requestSchemaName) throw new Error(`The ${op} request schema has no id`);
  const replyName = `${name}.reply`;
  const headers = ref('#/components/schemas/ControlHeaders');
  target.messages[name] = {
    name,
    summary,
    contentType: 'application/json',
    headers,
    payload: components.add(requestSchemaName, request),
  };
  target.messages[replyName] = {
    name: replyName,
    summary: `Reply to ${name}: ok with data, or an error.`,
    contentType: 'application/json',
    headers,
    payload: components.add(`Connection${pascalCase(op)}Reply`, ControlReply(data)),
  };
  target.channels[name] = {
    address: `ctl.{connector}.connection.${op}`,
    summary,
    parameters: connectorParameter(CONNECTORS, 'The connector that owns the connection.'),
    messages: { [name]: ref(`#/components/messages/${name}`) },
  };
  // Core NATS replies go to the requester's inbox, which is only known at run time.
  target.channels[replyName] = {
    address: null,
    summary: `Replies to ${name}, sent to the requester's inbox.`,
    messages: { [replyName]: ref(`#/components/messages/${replyName}`) },
  };
  target.operations[`${name}.receive`] = {
    action: 'receive',
    channel: ref(`#/channels/${name}`),
    messages: [ref(`#/channels/${name}/messages/${name}`)],
    reply: {
      channel: ref(`#/channels/${replyName}`),
      messages: [ref(`#/channels/${replyName}/messages/${replyName}`)],
    },
  };
}

/** Every generated file with its content, sorted by path. */
export function renderArtifacts(): Artifact[] {
  const artifacts = [
    ...allMessageContracts().map(messageSchemaArtifact),
    { path: ASYNCAPI_PATH, content: toYaml(asyncApiDocument()) },
  ];
  return artifacts.sort((a, b) => (a.path < b.path ? -1 : 1));
}
