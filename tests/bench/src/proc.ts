import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { readFileSync, readdirSync } from 'node:fs';

// Linux process accounting read from /proc: what a service costs, measured from outside it.

/** Clock ticks per second of /proc's CPU times (USER_HZ). */
const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** The highest resident set size the process has had so far (VmHWM), in MB. */
export function peakRssMb(pid: number): number {
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`process ${pid} reports no VmHWM`);
  return Number(match[1]) / 1024;
}

/** The fields of /proc/<pid>/stat after the command name, which may hold spaces and parentheses: from state on. */
function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

// Indexes into statFields: the line's 4th field (ppid) and 14th to 17th (utime, stime, cutime, cstime).
const PPID = 1;
const UTIME = 11;

/** CPU seconds (user + system) the process has used since it started. */
export function cpuSeconds(pid: number): number {
  const fields = statFields(pid);
  return (Number(fields[UTIME]) + Number(fields[UTIME + 1])) / TICKS_PER_SECOND;
}

/** The ids of every process on this machine. */
function processIds(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number);
}

/**
 * CPU seconds of a server process and its children, those that exited included (a Postgres postmaster and every
 * backend it forked): what serving the stack cost the database or the broker.
 */
export function serverCpuSeconds(pid: number): number {
  const withReapedChildren = (fields: string[]) => fields.slice(UTIME, UTIME + 4).reduce((sum, ticks) => sum + Number(ticks), 0);
  let ticks = withReapedChildren(statFields(pid));
  for (const child of processIds()) {
    try {
      const fields = statFields(child);
      if (Number(fields[PPID]) === pid) ticks += withReapedChildren(fields);
    } catch {
      // The process ended between listing and reading.
    }
  }
  return ticks / TICKS_PER_SECOND;
}

/** The parent of a process, if the process runs on this machine and its parent is called `name`. */
export function parentNamed(pid: number, name: string): number | undefined {
  try {
    const parent = Number(statFields(pid)[PPID]);
    return readFileSync(`/proc/${parent}/comm`, 'utf8').trim() === name ? parent : undefined;
  } catch {
    return undefined;
  }
}

/** The process of that name on this machine whose command line names `port` (the only one of that name, if just one). */
export function localServerPid(name: string, port: string): number | undefined {
  const candidates: Array<{ pid: number; args: string[] }> = [];
  for (const pid of processIds()) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== name) continue;
      candidates.push({ pid, args: readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0') });
    } catch {
      // Ended meanwhile, or not ours to read.
    }
  }
  if (candidates.length === 1) return candidates[0].pid;
  return candidates.find((candidate) => candidate.args.some((arg) => arg === port || arg.endsWith(`:${port}`)))?.pid;
}

export interface MachineCpu {
  busy: number;
  total: number;
}

/** Cumulative busy and total CPU time of the whole machine, every core and process (other engineers' included). */
export function machineCpu(): MachineCpu {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = values.map(Number);
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, total: busy + idle + iowait };
}

/** How busy the machine's cores were between two samples, as a share of all of them (0..1). */
export function busyShare(before: MachineCpu, after: MachineCpu): number {
  const total = after.total - before.total;
  return total > 0 ? (after.busy - before.busy) / total : 0;
}

export function machineDescription(): { cores: number; model: string; loadAverage: number[]; node: string } {
  const cores = cpus();
  return { cores: cores.length, model: cores[0]?.model ?? 'unknown', loadAverage: loadavg(), node: process.version };
}
