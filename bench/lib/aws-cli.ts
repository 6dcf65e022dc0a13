// Finds the AWS CLI the baseline runs (the machine's `aws`, or Debian's awscli installed when
// absent and we are root), and writes the temp AWS config that sets its S3 concurrency.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

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
