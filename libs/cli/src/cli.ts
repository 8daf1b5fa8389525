import { parseArgs } from 'node:util';
import { ApiError, ConnectionError, ControlApiClient } from './client';
import { addConnection, listConnections, testConnection } from './commands/connections';
import type { CommandContext, ExitCode } from './commands/context';
import { discardDeadLetters, listDeadLetters, replayDeadLetters, showDeadLetter } from './commands/dlq';
import { addIntegration, listIntegrations, testIntegration } from './commands/integrations';
import { exportMappings, importMappings } from './commands/mappings';
import { showRuns } from './commands/runs';
import { sync } from './commands/sync';
import { processIo, type Io } from './output';
import { resolveTarget, UsageError } from './settings';

export const USAGE = `junction: operate Junction through its control API

  junction connections list [--connector <name>]
  junction connections add <connector> --name <name> --set key=value... [--test]   (key=@file reads a secret from a file)
  junction connections test <connector> <id>
  junction integrations list
  junction integrations add --kind <kind> --name <name> --source <id> --target <id> [--settings <file.yaml>] [--disabled] [--sync]
  junction integrations test <integration>
  junction sync <integration> [--wait] [--timeout <seconds>]
  junction runs <integration> [--limit <n>]
  junction dlq list [--integration <integration>] [--subject <filter>] [--limit <n>]
  junction dlq show <seq>
  junction dlq replay <seq>...
  junction dlq discard <seq>...
  junction mappings export [<file.yaml>] [--integration <integration>]...
  junction mappings import <file.yaml> [--check]

<integration> is an id or a name. Options for every command:
  --url <url>      control API (JUNCTION_URL, default http://127.0.0.1:8080)
  --token <token>  bearer token (JUNCTION_TOKEN or CONTROL_API_TOKEN, else .junction/control-token)
  --json           answers as JSON, for scripts

Exit codes: 0 done, 1 a test, run, save, replay or discard failed (or no such dead letter), 2 wrong usage, 3 the control API refused or could not be reached.`;

const OPTIONS = {
  url: { type: 'string' },
  token: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  connector: { type: 'string' },
  name: { type: 'string' },
  set: { type: 'string', multiple: true },
  test: { type: 'boolean', default: false },
  kind: { type: 'string' },
  source: { type: 'string' },
  target: { type: 'string' },
  settings: { type: 'string' },
  disabled: { type: 'boolean', default: false },
  sync: { type: 'boolean', default: false },
  wait: { type: 'boolean', default: false },
  timeout: { type: 'string', default: '600' },
  limit: { type: 'string' },
  integration: { type: 'string', multiple: true },
  subject: { type: 'string' },
  check: { type: 'boolean', default: false },
} as const;

const parse = (argv: string[]) => parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
type Flags = ReturnType<typeof parse>['values'];

function count(value: string | undefined, what: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`${what} must be a whole number`);
  return Number(value);
}

type Command = (context: CommandContext, args: string[], flags: Flags) => Promise<ExitCode>;

/** Commands by their words; `sync` and `runs` take the integration right after them. */
const COMMANDS: Record<string, Command> = {
  'connections list': (context, _args, flags) => listConnections(context, flags.connector),
  'connections add': (context, [connector], flags) => addConnection(context, connector, { name: flags.name, set: flags.set ?? [], test: flags.test }),
  'connections test': (context, [connector, id]) => testConnection(context, connector, id),
  'integrations list': (context) => listIntegrations(context),
  'integrations add': (context, _args, flags) => addIntegration(context, flags),
  'integrations test': (context, [integration]) => testIntegration(context, integration),
  sync: (context, [integration], flags) => sync(context, integration, { wait: flags.wait, timeoutSeconds: count(flags.timeout, '--timeout') ?? 600 }),
  runs: (context, [integration], flags) => showRuns(context, integration, count(flags.limit, '--limit')),
  'dlq list': (context, _args, flags) =>
    listDeadLetters(context, { integration: flags.integration?.[0], subject: flags.subject, limit: count(flags.limit, '--limit') }),
  'dlq show': (context, args) => showDeadLetter(context, args),
  'dlq replay': (context, seqs) => replayDeadLetters(context, seqs),
  'dlq discard': (context, seqs) => discardDeadLetters(context, seqs),
  'mappings export': (context, [file], flags) => exportMappings(context, file, flags.integration ?? []),
  'mappings import': (context, [file], flags) => importMappings(context, file, { check: flags.check }),
};

function commandOf(words: string[]): { command: Command; args: string[] } {
  const [group, action, ...rest] = words;
  const single = COMMANDS[group];
  if (single && (group === 'sync' || group === 'runs')) return { command: single, args: words.slice(1) };
  const command = COMMANDS[`${group} ${action}`];
  if (!command) throw new UsageError(`unknown command: ${words.join(' ')}`);
  return { command, args: rest };
}

/** Runs one CLI invocation; resolves to its exit code. */
export async function run(argv: string[], io: Io = processIo, env: Record<string, string | undefined> = process.env): Promise<number> {
  try {
    const { values: flags, positionals } = parse(argv);
    if (flags.help || positionals.length === 0) {
      io.out(USAGE);
      return flags.help ? 0 : 2;
    }
    const { command, args } = commandOf(positionals);
    const target = resolveTarget(flags, env);
    return await command({ api: new ControlApiClient(target.url, target.token), io, json: flags.json }, args, flags);
  } catch (error) {
    // parseArgs rejects unknown options and missing values with codes ERR_PARSE_ARGS_*.
    const parseFailure = String((error as { code?: unknown }).code ?? '').startsWith('ERR_PARSE_ARGS');
    if (error instanceof UsageError || parseFailure) {
      io.err(`junction: ${(error as Error).message}\n(junction --help lists the commands)`);
      return 2;
    }
    if (error instanceof ApiError) {
      io.err(`junction: ${error.message}`);
      for (const issue of error.body.issues ?? []) io.err(`  ${issue.path}: ${issue.message}`);
      return 3;
    }
    if (error instanceof ConnectionError) {
      io.err(`junction: ${error.message}`);
      return 3;
    }
    throw error;
  }
}
