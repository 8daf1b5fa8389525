import { readWorkspaceFile } from './workspace';

export interface Instruction {
  /** Upper case: RUN, COPY, ... */
  keyword: string;
  /** The rest of the instruction, continuation lines joined. */
  args: string;
  line: number;
}

export interface Stage {
  /** The `AS` name, or the stage's index. */
  name: string;
  /** The image or stage it starts from, as written (`${NODE_IMAGE}`, `runtime-deps`). */
  from: string;
  instructions: Instruction[];
}

export interface Dockerfile {
  /** ARGs before the first FROM, with their defaults. */
  globalArgs: Record<string, string | undefined>;
  stages: Stage[];
}

/**
 * Reads a Dockerfile the way BuildKit does for what Junction's uses: comment lines and parser directives, line
 * continuations (comment lines inside them are dropped), global ARGs and `FROM ... AS name` stages. Heredocs and
 * escape-directive changes are not supported.
 */
export function parseDockerfile(text: string): Dockerfile {
  const instructions: Instruction[] = [];
  let pending: { text: string; line: number } | undefined;
  text.split('\n').forEach((raw, index) => {
    const trimmed = raw.trim();
    if (trimmed.startsWith('#') || (!pending && trimmed === '')) return;
    const continued = /\\\s*$/.test(raw);
    const content = continued ? raw.replace(/\\\s*$/, '') : raw;
    // As BuildKit does: the escaped newline is removed and the lines run on.
    pending = pending ? { ...pending, text: `${pending.text}${content}` } : { text: content.trim(), line: index + 1 };
    if (continued) return;
    const [, keyword, args] = /^(\S+)\s*([\s\S]*)$/.exec(pending.text) ?? [];
    instructions.push({ keyword: keyword.toUpperCase(), args: args.trim(), line: pending.line });
    pending = undefined;
  });
  if (pending) throw new Error(`line ${pending.line}: the last instruction ends with a line continuation`);

  const globalArgs: Record<string, string | undefined> = {};
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const [, from, name] = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.args) ?? [];
      if (!from) throw new Error(`line ${instruction.line}: cannot read FROM ${instruction.args}`);
      stages.push({ name: name ?? String(stages.length), from, instructions: [] });
    } else if (stages.length === 0) {
      if (instruction.keyword !== 'ARG') throw new Error(`line ${instruction.line}: ${instruction.keyword} before the first FROM`);
      Object.assign(globalArgs, parseArg(instruction.args));
    } else {
      stages[stages.length - 1].instructions.push(instruction);
    }
  }
  return { globalArgs, stages };
}

export function loadDockerfile(): Dockerfile {
  return parseDockerfile(readWorkspaceFile('Dockerfile'));
}

export function stageNamed(dockerfile: Dockerfile, name: string): Stage {
  const stage = dockerfile.stages.find((candidate) => candidate.name === name);
  if (!stage) throw new Error(`the Dockerfile has no stage ${name}`);
  return stage;
}

/** `ARG NAME` or `ARG NAME=default`. */
export function parseArg(args: string): Record<string, string | undefined> {
  const [, name, value] = /^([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?$/.exec(args) ?? [];
  if (!name) throw new Error(`cannot read ARG ${args}`);
  return { [name]: value === undefined ? undefined : unquote(value) };
}

/** `ENV KEY=value ...` (the legacy `ENV KEY value` form too). */
export function parseEnv(args: string): Record<string, string> {
  const pairs = [...args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|\S*)/g)];
  if (pairs.length > 0) return Object.fromEntries(pairs.map(([, key, value]) => [key, unquote(value)]));
  const [, key, value] = /^(\S+)\s+(.*)$/.exec(args) ?? [];
  if (!key) throw new Error(`cannot read ENV ${args}`);
  return { [key]: value };
}

/** The exec form of CMD or ENTRYPOINT (`["node", "main.js"]`); the shell form is not used by Junction's images. */
export function execForm(instruction: Instruction): string[] {
  const parsed: unknown = JSON.parse(instruction.args);
  if (!Array.isArray(parsed) || !parsed.every((part) => typeof part === 'string')) {
    throw new Error(`line ${instruction.line}: ${instruction.keyword} must use the exec form ["...", ...]`);
  }
  return parsed;
}

export interface CopyInstruction {
  /** The `--from` stage, or undefined for the build context. */
  from?: string;
  sources: string[];
  destination: string;
}

export function parseCopy(instruction: Instruction): CopyInstruction {
  const words = instruction.args.split(/\s+/);
  let from: string | undefined;
  while (words[0]?.startsWith('--')) {
    const flag = words.shift() as string;
    if (flag.startsWith('--from=')) from = flag.slice('--from='.length);
    else throw new Error(`line ${instruction.line}: COPY ${flag} is not supported by the checks`);
  }
  const destination = words.pop();
  if (!destination || words.length === 0) throw new Error(`line ${instruction.line}: cannot read COPY ${instruction.args}`);
  return { from, sources: words, destination };
}

/** Replaces `$NAME` and `${NAME}` with the build arguments, as BuildKit does in COPY, WORKDIR, ENV and LABEL. */
export function expandArgs(text: string, args: Record<string, string | undefined>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, braced, bare) => {
    const value = args[braced ?? bare];
    return value === undefined ? whole : value;
  });
}

/**
 * Splits a RUN script at its first top-level `&&`: the first command must be a simple one (no quotes, pipes or
 * subshells before the `&&`), which is how the checks pick the install and build commands out of a RUN.
 */
export function firstCommand(script: string): { first: string; rest: string | undefined } {
  const at = script.indexOf('&&');
  const first = (at === -1 ? script : script.slice(0, at)).trim();
  if (/["'`$(|;]/.test(first)) throw new Error(`the first command of "${script}" is not a simple command`);
  return { first, rest: at === -1 ? undefined : script.slice(at + 2).trim() };
}

function unquote(value: string): string {
  return /^".*"$/.test(value) ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value;
}
