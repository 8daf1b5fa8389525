import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { z } from 'zod';
import type { ProfileSummary } from './results';

const ROOT = join(__dirname, '..', '..', '..');

/** The parts of a V8 `.cpuprofile` (as `node --cpu-prof` writes it) a self-time summary needs. */
const CpuProfile = z.object({
  nodes: z.array(
    z.object({
      id: z.number(),
      callFrame: z.object({ functionName: z.string(), url: z.string(), lineNumber: z.number() }),
    }),
  ),
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
});

/** Pseudo-frames that are not the process working. */
const NOT_WORK = new Set(['(idle)', '(root)']);

/** `node --cpu-prof` names its file CPU.<date>.<time>.<pid>.<thread>.<sequence>.cpuprofile. */
const PROFILE_FILE = /^CPU\.\d+\.\d+\.(\d+)\.\d+\.\d+\.cpuprofile$/;

/** Makes `dir` hold this run's profiles only, removing the V8 profiles of earlier runs (and nothing else). */
export function clearProfiles(dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(dir)) if (PROFILE_FILE.test(name)) rmSync(join(dir, name));
}

export function profileOfProcess(dir: string, pid: number): string | undefined {
  const file = readdirSync(dir).find((name) => PROFILE_FILE.exec(name)?.[1] === String(pid));
  return file && join(dir, file);
}

/** The package or workspace project a script belongs to, for the by-module table. */
function moduleOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return url.slice(0, Math.max(url.lastIndexOf('/'), 0)) || url;
  const path = url.replace(/^file:\/\//, '');
  const packages = path.lastIndexOf('/node_modules/');
  if (packages >= 0) {
    const [scope, name] = path.slice(packages + '/node_modules/'.length).split('/');
    return scope.startsWith('@') ? `${scope}/${name}` : scope;
  }
  const project = /\/(libs|services|sandboxes|tests)\/([^/]+)\//.exec(path);
  return project ? `${project[1]}/${project[2]}` : path;
}

/** The top functions and modules of a profile by self time, idle time left out. */
export function summariseProfile(service: string, file: string, top = 15): ProfileSummary {
  const profile = CpuProfile.parse(JSON.parse(readFileSync(file, 'utf8')));
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const byFunction = new Map<string, { function: string; location: string; selfMs: number }>();
  const byModule = new Map<string, number>();
  let busyMs = 0;
  // A sample lasts until the next one: timeDeltas[i + 1] is the time spent in samples[i].
  profile.samples.forEach((nodeId, index) => {
    const frame = frames.get(nodeId);
    const ms = (profile.timeDeltas[index + 1] ?? 0) / 1000;
    if (!frame || NOT_WORK.has(frame.functionName)) return;
    busyMs += ms;
    const location = frame.url === '' ? '' : `${relative(ROOT, frame.url.replace(/^file:\/\//, ''))}:${frame.lineNumber + 1}`;
    const name = frame.functionName || '(anonymous)';
    const key = `${name} ${location}`;
    const entry = byFunction.get(key) ?? { function: name, location, selfMs: 0 };
    entry.selfMs += ms;
    byFunction.set(key, entry);
    const module = moduleOf(frame.url, frame.functionName);
    byModule.set(module, (byModule.get(module) ?? 0) + ms);
  });
  const share = (ms: number) => (busyMs > 0 ? ms / busyMs : 0);
  return {
    service,
    file: relative(ROOT, file),
    busySeconds: busyMs / 1000,
    topFunctions: [...byFunction.values()]
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, top)
      .map((entry) => ({ ...entry, share: share(entry.selfMs) })),
    topModules: [...byModule]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([module, selfMs]) => ({ module, selfMs, share: share(selfMs) })),
  };
}
