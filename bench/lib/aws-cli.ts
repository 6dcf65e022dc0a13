// Finds the AWS CLI the baseline runs (the machine's `aws`, or Debian's awscli installed when
// absent and we are root), writes the temp AWS config that sets its S3 concurrency, and runs the
// baseline copy every engine is measured against.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { timed, type TimedRun } from './child';

export function awsCliVersion(): string | undefined {
  try {
    return execFileSync('aws', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 }).trim();
  } catch {
    return undefined;
  }
}

/** The `aws --version` line; installs Debian's awscli when `aws` is missing and we may. */
export function ensureAwsCli(log: (line: string) => void): string {
  const found = awsCliVersion();
  if (found) return found;
  if (process.getuid?.() !== 0) {
    throw new Error(
      "The AWS CLI ('aws') is missing. Install it (sudo apt-get install -y awscli, or pip install awscli) and run the bench again, or skip the baseline with --parts synth,batch,sandbox",
    );
  }
  log('direct: aws not found; installing Debian awscli (apt-get update && apt-get install -y awscli)...');
  // A fresh container has no package lists yet; without them the install finds no awscli.
  execFileSync('apt-get', ['update'], { stdio: 'inherit', timeout: 15 * 60_000 });
  execFileSync('apt-get', ['install', '-y', 'awscli'], { stdio: 'inherit', timeout: 15 * 60_000 });
  const installed = awsCliVersion();
  if (!installed) throw new Error('apt-get install -y awscli finished but `aws --version` still fails; install the AWS CLI by hand');
  return installed;
}

/** A temp AWS_CONFIG_FILE with `concurrency` S3 transfer threads and path-style addressing. */
export function awsConfigFor(concurrency: number): { file: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-aws-'));
  const file = path.join(dir, 'config');
  fs.writeFileSync(file, '');
  const env = { ...process.env, AWS_CONFIG_FILE: file };
  const set = (name: string, value: string) => execFileSync('aws', ['configure', 'set', name, value], { env, timeout: 60_000 });
  set('default.region', 'us-east-1');
  set('default.s3.max_concurrent_requests', String(concurrency));
  set('default.s3.addressing_style', 'path');
  return { file, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Where the baseline copies: a bucket behind an S3 endpoint, the key to encrypt under. */
export interface CliCopyTarget {
  readonly bucket: string;
  readonly keyArn: string;
  readonly endpoint: string;
  /** How the reported command names the endpoint, e.g. sandbox or moto. */
  readonly endpointName: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly concurrency: number;
}

/**
 * The baseline: `aws s3 cp --recursive` of a bucket onto itself under the key, as a person would
 * re-encrypt a bucket by hand, timed, with the command that reproduces it (secrets and ARNs elided).
 */
export async function timedCliCopyInPlace(target: CliCopyTarget): Promise<{ time: TimedRun; command: string }> {
  const config = awsConfigFor(target.concurrency);
  try {
    const url = `s3://${target.bucket}/`;
    const env = {
      ...process.env,
      AWS_CONFIG_FILE: config.file,
      AWS_ACCESS_KEY_ID: target.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: target.credentials.secretAccessKey,
      AWS_DEFAULT_REGION: 'us-east-1',
    };
    const args = ['s3', 'cp', url, url, '--recursive', '--sse', 'aws:kms', '--sse-kms-key-id', target.keyArn];
    const time = await timed('aws', [...args, '--endpoint-url', target.endpoint, '--only-show-errors'], { env, timeoutMs: 30 * 60_000 });
    const command = `AWS_CONFIG_FILE=<s3.max_concurrent_requests=${target.concurrency}> aws ${args.slice(0, 8).join(' ')} <key arn> --endpoint-url <${target.endpointName}>`;
    return { time, command };
  } finally {
    config.cleanup();
  }
}
