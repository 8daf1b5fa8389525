import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, posix } from 'node:path';
import { promisify } from 'node:util';
import {
  type Dockerfile,
  execForm,
  expandArgs,
  firstCommand,
  type Instruction,
  loadDockerfile,
  parseArg,
  parseCopy,
  parseEnv,
  type Stage,
  stageNamed,
} from './dockerfile';
import { readWorkspaceFile, WORKSPACE_ROOT, workspacePath } from './workspace';

/** A target of the Dockerfile, laid out on the host as the image would hold it. */
export interface HostImage {
  target: string;
  /** The image's WORKDIR on the host. */
  workdir: string;
  /** ENTRYPOINT followed by CMD. */
  command: string[];
  /** ENV of the image. */
  env: Record<string, string>;
  /** USER, when numeric (`1000:1000`). */
  user?: { uid: number; gid: number };
  stopSignal: NodeJS.Signals;
}

// What the runtime stage's install may be followed by: shrinking the image, which on the host would empty the npm cache.
const IMAGE_CLEANUP = /^(npm cache clean --force|rm -rf \/root\/\.npm)$/;
// Production installs by what decides them (manifests, lock file, command, Node and npm): a second run with the same
// inputs reuses the node_modules npm ci made, as Docker reuses the layer.
const INSTALL_CACHE = workspacePath('node_modules', '.cache', 'junction-deploy-checks');

interface StageFs {
  /** The stage's filesystem root on the host. */
  root: string;
  workdir: string;
  env: Record<string, string>;
}

/**
 * Reproduces the Dockerfile's stages on the host, with the host's Node standing in for the base image, so CI runs
 * the commands the image build runs without a Docker engine:
 * - `manifests` runs its scripts in the workspace (its `COPY . .` is the workspace); the paths it hands to other
 *   stages (`/manifests`) become host folders;
 * - `build` is what CI already did on the host (`./junction.sh test` installs with the same `npm ci` and builds
 *   with `nx run-many -t build`); its script that collects the `dist` folders runs as written, into a host `/out`;
 * - `runtime-deps` runs its `npm ci --omit=dev ...` as written (plus `--prefer-offline`, so the host's npm cache
 *   serves it) in a copy of the manifests; the cache cleanup after it is image hygiene and is skipped;
 * - every other target (`service`, `sandbox`) is interpreted instruction by instruction on a copy of runtime-deps.
 * An instruction the reproduction does not know fails it, so the Dockerfile cannot grow a step CI skips.
 */
export class HostBuild {
  private readonly stages = new Map<string, StageFs>();

  private constructor(
    private readonly dockerfile: Dockerfile,
    private readonly dir: string,
  ) {}

  static prepare(dockerfile: Dockerfile = loadDockerfile()): HostBuild {
    const dir = mkdtempSync(join(tmpdir(), 'junction-images-'));
    // The images run as UID 1000, which must reach their files.
    chmodSync(dir, 0o755);
    const build = new HostBuild(dockerfile, dir);
    try {
      build.runInWorkspace(stageNamed(dockerfile, 'manifests'));
      build.collectBuild(stageNamed(dockerfile, 'build'));
      build.installRuntimeDependencies(stageNamed(dockerfile, 'runtime-deps'));
    } catch (error) {
      build.dispose();
      throw error;
    }
    return build;
  }

  /** The runtime-deps stage's WORKDIR: what every image starts from. */
  get runtimeDependencies(): string {
    const stage = this.stages.get('runtime-deps');
    if (!stage) throw new Error('runtime-deps is not prepared');
    return join(stage.root, stage.workdir);
  }

  /** Lays out one target (a stage built on runtime-deps) for the given build arguments. */
  async image(target: string, buildArgs: Record<string, string> = {}): Promise<HostImage> {
    const stage = stageNamed(this.dockerfile, target);
    const base = this.stages.get(stage.from);
    if (!base) throw new Error(`${target} starts from ${stage.from}, which the checks do not reproduce`);
    const root = join(this.dir, 'images', [target, ...Object.values(buildArgs)].join('-'));
    mkdirSync(dirname(root), { recursive: true });
    // Hard links: every image shares runtime-deps' node_modules, as image layers do.
    await promisify(execFile)('cp', ['-al', base.root, root]);
    const args: Record<string, string | undefined> = { ...this.dockerfile.globalArgs };
    const fs: StageFs = { root, workdir: base.workdir, env: { ...base.env } };
    let user: HostImage['user'];
    let stopSignal: NodeJS.Signals = 'SIGTERM';
    let entrypoint: string[] = [];
    let cmd: string[] = [];
    for (const instruction of stage.instructions) {
      const { keyword } = instruction;
      if (keyword === 'ARG') {
        for (const [name, fallback] of Object.entries(parseArg(instruction.args))) args[name] = buildArgs[name] ?? fallback;
      } else if (keyword === 'ENV') {
        Object.assign(fs.env, parseEnv(expandArgs(instruction.args, args)));
      } else if (keyword === 'WORKDIR') {
        fs.workdir = posix.resolve(fs.workdir, expandArgs(instruction.args, args));
        mkdirSync(join(root, fs.workdir), { recursive: true });
      } else if (keyword === 'COPY') {
        this.copy(fs, expandArgs(instruction.args, args), instruction);
      } else if (keyword === 'RUN') {
        this.run(instruction.args, join(root, fs.workdir), { ...definedArgs(args), ...fs.env });
      } else if (keyword === 'USER') {
        const [, uid, gid] = /^(\d+)(?::(\d+))?$/.exec(instruction.args) ?? [];
        if (!uid) throw new Error(`line ${instruction.line}: USER must be numeric (uid:gid) so Kubernetes can verify non-root`);
        user = { uid: Number(uid), gid: Number(gid ?? uid) };
      } else if (keyword === 'STOPSIGNAL') {
        stopSignal = instruction.args as NodeJS.Signals;
      } else if (keyword === 'ENTRYPOINT') {
        entrypoint = execForm(instruction);
        cmd = [];
      } else if (keyword === 'CMD') {
        cmd = execForm(instruction);
      } else if (keyword !== 'LABEL' && keyword !== 'EXPOSE') {
        throw unsupported(instruction, target);
      }
    }
    return { target, workdir: join(root, fs.workdir), command: [...entrypoint, ...cmd], env: fs.env, user, stopSignal };
  }

  dispose(): void {
    // rm(1) unlinks the images' hundred thousand hard links several times faster than fs.rmSync.
    execFileSync('rm', ['-rf', this.dir]);
  }

  /** The host folder of an absolute path in a stage; only paths another stage copies from exist on the host. */
  private hostPath(stage: string, path: string): string {
    const fs = this.stages.get(stage);
    if (!fs) throw new Error(`stage ${stage} is not prepared`);
    return join(fs.root, path);
  }

  /** The top folders other stages copy out of this stage (`/manifests`, `/out`). */
  private exportedFolders(stage: string): string[] {
    const folders = this.dockerfile.stages.flatMap((other) =>
      other.instructions
        .filter((instruction) => instruction.keyword === 'COPY')
        .map((instruction) => parseCopy(instruction))
        .filter((copy) => copy.from === stage)
        .flatMap((copy) => copy.sources.map((source) => `/${source.split('/')[1]}`)),
    );
    return [...new Set(folders)];
  }

  /** A script with this stage's exported folders pointing at their host folders. */
  private mapExportedFolders(stage: string, script: string): string {
    return this.exportedFolders(stage).reduce(
      (mapped, folder) => mapped.replace(new RegExp(`(?<![\\w./-])${escapeRegExp(folder)}(?=[/"'\\s;]|$)`, 'g'), this.hostPath(stage, folder)),
      script,
    );
  }

  private newStage(stage: Stage, workdir = '/'): StageFs {
    const root = join(this.dir, 'stages', stage.name);
    mkdirSync(root, { recursive: true });
    const fs: StageFs = { root, workdir, env: {} };
    this.stages.set(stage.name, fs);
    return fs;
  }

  /** A stage whose WORKDIR is a copy of the build context: its scripts run in the workspace itself. */
  private runInWorkspace(stage: Stage): void {
    this.newStage(stage);
    for (const instruction of stage.instructions) {
      if (instruction.keyword === 'WORKDIR') continue;
      if (instruction.keyword === 'COPY' && instruction.args === '. .') continue;
      if (instruction.keyword !== 'RUN') throw unsupported(instruction, stage.name);
      this.run(this.mapExportedFolders(stage.name, instruction.args), WORKSPACE_ROOT, {});
    }
  }

  /** The build stage is the workspace after CI's install and build; only its collection of dist folders runs. */
  private collectBuild(stage: Stage): void {
    this.newStage(stage);
    // The install line of junction.sh (`./junction.sh test` is CI's command).
    const ciInstall = /^\s*(npm ci\b.*)$/m.exec(readWorkspaceFile('junction.sh'))?.[1].trim();
    for (const instruction of stage.instructions) {
      if (instruction.keyword === 'WORKDIR' || instruction.keyword === 'COPY') continue;
      if (instruction.keyword !== 'RUN') throw unsupported(instruction, stage.name);
      const { first, rest } = firstCommand(instruction.args);
      if (first.startsWith('npm ci')) {
        if (first !== ciInstall) throw new Error(`build stage installs with "${first}", CI with "${ciInstall}"`);
      } else if (/\bnx run-many -t build\b/.test(first)) {
        if (rest) this.run(this.mapExportedFolders(stage.name, rest), WORKSPACE_ROOT, {});
      } else {
        throw unsupported(instruction, stage.name);
      }
    }
  }

  private installRuntimeDependencies(stage: Stage): void {
    const fs = this.newStage(stage);
    for (const instruction of stage.instructions) {
      const { keyword } = instruction;
      if (keyword === 'ENV') {
        Object.assign(fs.env, parseEnv(instruction.args));
      } else if (keyword === 'WORKDIR') {
        fs.workdir = posix.resolve(fs.workdir, instruction.args);
        mkdirSync(join(fs.root, fs.workdir), { recursive: true });
      } else if (keyword === 'COPY') {
        this.copy(fs, instruction.args, instruction);
      } else if (keyword === 'RUN') {
        const { first, rest } = firstCommand(instruction.args);
        if (!first.startsWith('npm ci') || !first.includes('--omit=dev')) {
          throw new Error(`line ${instruction.line}: runtime-deps must install with npm ci --omit=dev, not "${first}"`);
        }
        const cleanup = (rest ?? '').split('&&').map((command) => command.trim()).filter(Boolean);
        const unknown = cleanup.filter((command) => !IMAGE_CLEANUP.test(command));
        if (unknown.length > 0) throw new Error(`line ${instruction.line}: runtime-deps runs ${unknown.join(', ')}, which the checks do not reproduce`);
        this.installOrReuse(`${first} --prefer-offline`, join(fs.root, fs.workdir), fs.env);
      } else {
        throw unsupported(instruction, stage.name);
      }
    }
  }

  /** Runs the install, or links the node_modules an earlier run of the same install left in INSTALL_CACHE. */
  private installOrReuse(command: string, dir: string, env: Record<string, string>): void {
    const versions = execFileSync('npm', ['--version'], { encoding: 'utf8' }).trim() + process.version;
    const key = createHash('sha256').update(`${command}\n${versions}\n${JSON.stringify(env)}`);
    for (const file of filesUnder(dir)) key.update(`${file}\n`).update(readFileSync(join(dir, file)));
    const cached = join(INSTALL_CACHE, `runtime-deps-${key.digest('hex').slice(0, 16)}`);
    if (existsSync(cached)) {
      linkTree(cached, join(dir, 'node_modules'));
      return;
    }
    this.run(command, dir, env);
    const staging = `${cached}.${process.pid}`;
    try {
      // Only the latest install is kept, so the cache does not grow.
      rmSync(INSTALL_CACHE, { recursive: true, force: true });
      mkdirSync(INSTALL_CACHE, { recursive: true });
      linkTree(join(dir, 'node_modules'), staging);
      renameSync(staging, cached);
    } catch {
      // Best effort: a concurrent run may have stored it first.
      rmSync(staging, { recursive: true, force: true });
    }
  }

  /** COPY from the build context or from a prepared stage, with Docker's rules for folders and trailing slashes. */
  private copy(fs: StageFs, args: string, instruction: Instruction): void {
    const copy = parseCopy({ ...instruction, args });
    const destination = join(fs.root, posix.resolve(fs.workdir, copy.destination));
    for (const source of copy.sources) {
      const from = copy.from ? this.hostPath(copy.from, source) : join(WORKSPACE_ROOT, source);
      if (!existsSync(from)) throw new Error(`line ${instruction.line}: COPY source ${source} does not exist (${from})`);
      const intoFolder = statSync(from).isFile() && (copy.destination.endsWith('/') || copy.sources.length > 1);
      const target = intoFolder ? join(destination, basename(from)) : destination;
      mkdirSync(dirname(target), { recursive: true });
      cpSync(from, target, { recursive: true });
    }
  }

  private run(script: string, cwd: string, env: Record<string, string>): void {
    const result = spawnSync('sh', ['-c', script], {
      cwd,
      // The host's environment (npm's cache and registry settings among it), without jest's NODE_ENV.
      env: { ...process.env, NODE_ENV: undefined, ...env },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (result.status !== 0) {
      throw new Error(`"${script}" failed in ${cwd} (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
    }
  }
}

/** Relative paths of the files under a folder, sorted. */
function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(prefix, entry.name);
      return entry.isDirectory() ? filesUnder(dir, path) : [path];
    })
    .sort();
}

/** Copies a tree as hard links (no data copied); a plain copy where the two folders are on different filesystems. */
function linkTree(from: string, to: string): void {
  try {
    execFileSync('cp', ['-al', from, to], { stdio: 'pipe' });
  } catch {
    rmSync(to, { recursive: true, force: true });
    execFileSync('cp', ['-a', from, to]);
  }
}

function definedArgs(args: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(args).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

function unsupported(instruction: Instruction, stage: string): Error {
  return new Error(`line ${instruction.line}: the checks cannot reproduce ${instruction.keyword} ${instruction.args} in stage ${stage}`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
