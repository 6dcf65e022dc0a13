// Runs bench children: commands under GNU time (wall time and peak RSS from the kernel), and the
// world server, whose first stdout line says where the sandbox listens. Every wait has a deadline.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { TIME_FORMAT, parseTimeOutput, type TimeMeasurement } from './time-output';

export const ROOT = path.resolve(__dirname, '../..');
const TIME = '/usr/bin/time';

export interface TimedRun extends TimeMeasurement {
  readonly stdout: string;
  readonly stderr: string;
}

export function requireGnuTime(): void {
  if (!fs.existsSync(TIME))
    throw new Error(`${TIME} is missing: install GNU time (apt-get install -y time); the bench reads peak RSS from it`);
}

/** Runs `command args` under /usr/bin/time; rejects when it outlives `timeoutMs`. */
export async function timed(
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs: number },
): Promise<TimedRun> {
  const timeFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-time-')), 'time.txt');
  const child = spawn(TIME, ['-o', timeFile, '-f', TIME_FORMAT, command, ...args], {
    cwd: options.cwd ?? ROOT,
    env: options.env ?? process.env,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', () => resolve());
  });
  clearTimeout(timer);
  const text = fs.existsSync(timeFile) ? fs.readFileSync(timeFile, 'utf8') : '';
  fs.rmSync(path.dirname(timeFile), { recursive: true, force: true });
  if (child.signalCode === 'SIGKILL') throw new Error(`${command} ${args.join(' ')} did not finish within ${options.timeoutMs / 1000} s`);
  return { ...parseTimeOutput(text), stdout, stderr };
}

/** The world server process and a line channel to it. */
export interface WorldProcess<Ready> {
  readonly ready: Ready;
  ask<T>(command: string, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

/**
 * The sandbox's heap limit for a world of this many versions: 1,200 MiB and 20 MiB more a million.
 * The versions and their keys live outside the heap (the columnar version store and the key
 * index), so the heap holds what one step of the work needs, not the world: at 10,000,000 versions
 * the heap peaked at 849 MiB under a 3,000 MiB limit, with 60-170 MiB live after each collection
 * (BENCH_TRACE). Without a limit V8 lets garbage pile up toward its default and the peak RSS
 * measures that, not what the sandbox needs.
 */
export function worldHeapMiB(versions: number): number {
  return Math.ceil(1200 + (versions / 1_000_000) * 20);
}

/**
 * What a world of this many bench versions holds outside the heap, in MiB: 150 bytes a version,
 * measured after seeding 10,000,000 (arrayBuffers 1,430 MiB: the version store's 99 bytes a row and
 * the key index of 5,000,000 keys, both grown a chunk or a doubling at a time).
 */
export function worldOffHeapMiB(versions: number): number {
  return Math.ceil((versions * 150) / 1024 ** 2);
}

/**
 * Node flags that write a CPU profile of a bench child into `$BENCH_CPU_PROF` when it is set
 * (Node 20 refuses `--cpu-prof` in NODE_OPTIONS, so the bench passes it on the command line).
 */
export function cpuProfileFlags(name: string): string[] {
  const dir = process.env.BENCH_CPU_PROF;
  // A folder per child: each thread (tsx's loader runs in one of its own) writes a profile named by its pid and thread.
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${path.join(path.resolve(dir), name)}`] : [];
}

export async function startWorld<Ready>(args: readonly string[], timeoutMs: number, heapMiB: number): Promise<WorldProcess<Ready>> {
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    [...cpuProfileFlags('world-server'), '--import', 'tsx', path.join(ROOT, 'bench/world-server.ts'), ...args],
    {
      cwd: ROOT,
      env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=${heapMiB}`.trim() },
    },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const lines = readline.createInterface({ input: child.stdout });
  const waiting: ((line: string) => void)[] = [];
  lines.on('line', (line) => waiting.shift()?.(line));
  const next = (ms: number) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`bench world server did not answer within ${ms / 1000} s; stderr: ${stderr}`)), ms);
      child.once('exit', (code) => reject(new Error(`bench world server exited (${code}); stderr: ${stderr}`)));
      waiting.push((line) => {
        clearTimeout(timer);
        resolve(line);
      });
    });
  const ready = JSON.parse(await next(timeoutMs)) as Ready;
  return {
    ready,
    ask: async <T>(command: string, ms = 30_000) => {
      const answer = next(ms);
      child.stdin.write(`${command}\n`);
      return JSON.parse(await answer) as T;
    },
    stop: async () => {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.stdin.end('quit\n');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs the runner CLI in a probed child (bench/probe/runner-child.ts) under /usr/bin/time. */
export async function runRunner<Probe>(
  argv: readonly string[],
  endpoint: string,
  timeoutMs: number,
): Promise<{ time: TimedRun; probe: Probe }> {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-probe-')), 'probe.json');
  const env = {
    ...process.env,
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: 'AKIDSANDBOXBENCH',
    AWS_SECRET_ACCESS_KEY: 'sandbox-bench-secret',
    AWS_REGION: 'us-east-1',
    BENCH_PROBE_OUT: out,
  };
  const time = await timed(
    process.execPath,
    [...cpuProfileFlags('runner'), '--import', 'tsx', path.join(ROOT, 'bench/probe/runner-child.ts'), ...argv, '--json'],
    {
      env,
      timeoutMs,
    },
  );
  if (!fs.existsSync(out)) throw new Error(`runner probe wrote no result (exit ${time.exitCode}); stderr: ${time.stderr.slice(-2000)}`);
  const probe = JSON.parse(fs.readFileSync(out, 'utf8')) as Probe;
  // Beside the profiles, the runner's calls in time, to line them up with the sandbox's profile.
  if (process.env.BENCH_CPU_PROF)
    fs.copyFileSync(out, path.join(path.resolve(process.env.BENCH_CPU_PROF), `runner-calls-${Date.now()}.json`));
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  return { time, probe };
}
