// Bench part 1: `cdktf synth` of stacks with 1, 10 and 100 buckets (configs generated in a temp
// folder named by KMS_MIGRATION_CONFIG_DIR), the app alone, and the share of provider binding loads.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT, timed } from './lib/child';
import { mib } from './lib/time-output';

export interface SynthResult {
  readonly buckets: number;
  /** `cdktf synth` through the CLI: what a user waits for. */
  readonly cliWallSeconds: number;
  readonly cliPeakRssMiB: number;
  /** The app alone (`node --import tsx main.ts`), which the CLI runs as a child. */
  readonly appWallSeconds: number;
  readonly appPeakRssMiB: number;
  /** Requiring the provider submodules the stacks import, in a fresh process after cdktf. */
  readonly providerLoadSeconds: number;
  readonly providerModules: number;
  /** providerLoadSeconds / appWallSeconds. */
  readonly providerShareOfApp: number;
  readonly resources: number;
  readonly command: string;
}

/** A valid stack config with `buckets` buckets, from the demo config's settings. */
export function configWithBuckets(buckets: number): Record<string, unknown> {
  const demo = JSON.parse(fs.readFileSync(path.join(ROOT, 'stacks/environments/demo.json'), 'utf8')) as Record<string, unknown>;
  return { ...demo, buckets: Array.from({ length: buckets }, (_, i) => ({ name: `bench-bucket-${String(i + 1).padStart(3, '0')}` })) };
}

function countResources(outDir: string): number {
  const file = path.join(outDir, 'stacks/bench/cdk.tf.json');
  const stack = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    resource?: Record<string, Record<string, unknown>>;
    data?: Record<string, Record<string, unknown>>;
  };
  const count = (blocks?: Record<string, Record<string, unknown>>) =>
    Object.values(blocks ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
  return count(stack.resource) + count(stack.data);
}

export async function benchSynth(buckets: number, log: (line: string) => void): Promise<SynthResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-synth-'));
  try {
    const configDir = path.join(dir, 'environments');
    fs.mkdirSync(configDir);
    fs.writeFileSync(path.join(configDir, 'bench.json'), JSON.stringify(configWithBuckets(buckets), null, 2));
    const env = { ...process.env, CI: '1', CHECKPOINT_DISABLE: '1', KMS_MIGRATION_CONFIG_DIR: configDir };
    log(`synth: ${buckets} bucket(s) through the cdktf CLI...`);
    const cliOut = path.join(dir, 'cli.out');
    const cli = await timed(path.join(ROOT, 'node_modules/.bin/cdktf'), ['synth', '--output', cliOut], { env, timeoutMs: 10 * 60_000 });
    if (cli.exitCode !== 0) throw new Error(`cdktf synth of ${buckets} buckets failed: ${cli.stderr.slice(-2000)}`);
    log(`synth: ${buckets} bucket(s), the app alone...`);
    const appOut = path.join(dir, 'app.out');
    const app = await timed(process.execPath, ['--import', 'tsx', path.join(ROOT, 'main.ts')], {
      env: { ...env, CDKTF_OUTDIR: appOut },
      timeoutMs: 10 * 60_000,
    });
    if (app.exitCode !== 0) throw new Error(`the app (main.ts) of ${buckets} buckets failed: ${app.stderr.slice(-2000)}`);
    const providers = await timed(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/probe/provider-load.ts')], {
      timeoutMs: 5 * 60_000,
    });
    const load = JSON.parse(providers.stdout.trim()) as { modules: number; ms: number };
    return {
      buckets,
      cliWallSeconds: cli.wallSeconds,
      cliPeakRssMiB: mib(cli.maxRssKiB),
      appWallSeconds: app.wallSeconds,
      appPeakRssMiB: mib(app.maxRssKiB),
      providerLoadSeconds: load.ms / 1000,
      providerModules: load.modules,
      providerShareOfApp: Math.round((load.ms / 1000 / app.wallSeconds) * 1000) / 1000,
      resources: countResources(appOut),
      command: `npm run bench -- --parts synth --synth-buckets ${buckets}`,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
