// `npm run demo`: the whole migration rehearsed offline. Synthesizes the demo stack, starts the
// sandbox with ~20,000 seeded object versions, applies the stack to it, lets S3 deliver inventory,
// and runs the unmodified runner CLI against it through AWS_ENDPOINT_URL, as a user would:
// plan, run, run again, verify, expire.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { INVENTORY_CONFIG_ID } from '../stacks/outputs';
import { loadConfig } from '../stacks/config';
import { main as runner } from '../runner/cli';
import { startSandbox, type SeedBucketSpec, produceInventory } from '../sandbox';
import { clientsFor } from './clients';
import { runnerPrincipalArn } from './identity';
import { applyToSandbox, readSynthesizedStack, writeOutputsFile } from './terraform/apply';
import { PutBucketNotificationConfigurationCommand } from '@aws-sdk/client-s3';
import { formatCount } from '../runner/output';
import { DEMO_CREDENTIALS, guideLines } from './demo-guide';

const ROOT = path.resolve(__dirname, '..');
const STACK = 'demo';
/** A function that makes thumbnails of every object created in demo-data-lake: demo.json accepts its events (acceptEvents). */
const THUMBNAILS = 'arn:aws:lambda:us-east-1:123456789012:function:demo-thumbnails';
const DATA_LAKE = 'demo-data-lake';

const WORLD: readonly SeedBucketSpec[] = [
  {
    name: 'demo-app-assets',
    versions: 10_000,
    versionsPerKey: 2,
    versioning: 'Enabled',
    encryption: { 'SSE-S3': 5, 'NOT-SSE': 3, 'SSE-KMS': 1, 'SSE-C': 0.3, 'DSSE-KMS': 0.2 },
    storageClasses: { STANDARD: 6, STANDARD_IA: 2, GLACIER_IR: 1, DEEP_ARCHIVE: 0.5 },
    overFiveGbRate: 0.001,
    hardKeyRate: 0.05,
  },
  { name: 'demo-data-lake', versions: 6_000, versioning: 'Enabled', encryption: { 'SSE-S3': 3, 'NOT-SSE': 1, 'SSE-KMS': 1 } },
  { name: 'demo-logs', versions: 4_000, encryption: { 'NOT-SSE': 1, 'SSE-S3': 1 } },
];

function say(text: string): void {
  process.stdout.write(`\n=== ${text}\n`);
}

interface DemoFlags {
  /** Leave the sandbox running after the last step, until SIGINT or SIGTERM. */
  readonly keep: boolean;
}

function parseFlags(argv: readonly string[]): DemoFlags {
  for (const arg of argv)
    if (arg !== '--keep')
      throw new RangeError(`Unknown flag ${arg}: the demo takes --keep (leave the sandbox running to try status and report)`);
  return { keep: argv.includes('--keep') };
}

/** Resolves at the first SIGINT or SIGTERM. */
function interrupted(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

async function demo(flags: DemoFlags): Promise<number> {
  say('1. Synthesize the demo stack (cdktf synth)');
  execFileSync(path.join(ROOT, 'node_modules/.bin/cdktf'), ['synth'], {
    cwd: ROOT,
    env: { ...process.env, CI: '1', CHECKPOINT_DISABLE: '1' },
    stdio: 'ignore',
  });
  const synthesized = readSynthesizedStack(path.join(ROOT, 'cdktf.out/stacks', STACK, 'cdk.tf.json'));
  const config = loadConfig(STACK);

  say('2. Start the local AWS sandbox on 127.0.0.1 with a seeded world');
  // Every dummy credential is the runner role the config names, which the key policy admits.
  const sandbox = await startSandbox({ seed: { seed: 2026, buckets: WORLD }, defaultPrincipalArn: runnerPrincipalArn(config.key.users) });
  // A demo pace: fast enough to finish in seconds, slow enough to watch the progress.
  sandbox.batchOperations.setTaskRate(4_000);
  const clients = clientsFor(sandbox.endpoint, 3);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kms-migration-demo-'));
  const eventsDir = path.join(workDir, 'events');
  fs.mkdirSync(eventsDir);
  let step = 0;
  // The runner as a user runs it; its text goes to stdout even in a pipe (so `npm run demo | cat`
  // reads as on a terminal), its JSON lines to one file per command.
  const migrate = (argv: readonly string[]) =>
    runner([...argv, '--no-json', '--events-file', path.join(eventsDir, `${String(++step).padStart(2, '0')}-${argv[0]}.jsonl`)]);
  try {
    for (const b of sandbox.seedSummary?.buckets ?? [])
      process.stdout.write(`  ${b.name}: ${formatCount(b.versions)} versions of ${formatCount(b.keys)} keys\n`);
    process.stdout.write(`  endpoint ${sandbox.endpoint}\n`);

    say('3. Apply the synthesized stack to the sandbox (what cdktf deploy does on AWS)');
    const applied = await applyToSandbox(synthesized, sandbox, clients, 'demo');
    const outputsFile = path.join(workDir, 'outputs.json');
    writeOutputsFile(outputsFile, STACK, applied.outputs);
    process.stdout.write(`  ${applied.state.size} resources and data sources applied; outputs in ${outputsFile}\n`);
    process.stdout.write(`  key ${String(applied.outputs.kms_key_arn)}\n  reports bucket ${String(applied.outputs.reports_bucket)}\n`);

    // What the account already had: demo-data-lake notifies a Lambda function of every created object.
    await clients.s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: DATA_LAKE,
        NotificationConfiguration: {
          LambdaFunctionConfigurations: [{ Id: 'thumbnails', LambdaFunctionArn: THUMBNAILS, Events: ['s3:ObjectCreated:*'] }],
        },
      }),
    );
    process.stdout.write(`  ${DATA_LAKE} notifies ${THUMBNAILS} of s3:ObjectCreated:* (set up before the migration, not by the stack)\n`);

    say('4. S3 delivers the inventory of every bucket (on AWS: within 48 hours of the deploy)');
    // Reports are labelled with whole hours, never later than now: the table's dt projection ends at NOW.
    const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
    const lastHour = new Date(hour.getTime() - 3_600_000);
    for (const bucket of config.buckets) {
      const report = await produceInventory(sandbox.world, { bucket: bucket.name, configId: INVENTORY_CONFIG_ID, at: lastHour });
      process.stdout.write(`  ${bucket.name}: ${report.manifestKey}\n`);
    }

    say(`5. npm run migrate -- plan --stack ${STACK}   (AWS_ENDPOINT_URL=${sandbox.endpoint})`);
    Object.assign(process.env, { AWS_ENDPOINT_URL: sandbox.endpoint, ...DEMO_CREDENTIALS, AWS_REGION: sandbox.world.region });
    const planned = await migrate(['plan', '--stack', STACK, '--outputs-file', outputsFile]);
    if (planned !== 0) return planned;

    // The plan names who reads each bucket and who its writes notify. demo-data-lake's policy lets role
    // analytics read it; the key lets analytics decrypt it because demo.json lists the role in the
    // bucket's "readers", and its copies will notify demo-thumbnails, which "acceptEvents" names.
    say(
      '5b. Without the reader grant and the accepted function, run refuses before writing anything (both are taken out of what is deployed, then put back)',
    );
    const keyArn = String(applied.outputs.kms_key_arn);
    const deployedPolicy = sandbox.world.kms.describeKey(keyArn).policy;
    const document = JSON.parse(deployedPolicy) as { Statement: { Sid?: string }[] };
    sandbox.world.kms.putKeyPolicy(
      keyArn,
      JSON.stringify({ ...document, Statement: document.Statement.filter((st) => !st.Sid?.startsWith('ReadersDecryptThrough')) }),
    );
    const deployedBuckets = applied.outputs.buckets as Record<string, Record<string, unknown>>;
    const acceptedEvents = deployedBuckets[DATA_LAKE]!.accept_events;
    deployedBuckets[DATA_LAKE] = { ...deployedBuckets[DATA_LAKE], accept_events: [] };
    writeOutputsFile(outputsFile, STACK, applied.outputs);
    const refused = await migrate(['run', '--stack', STACK, '--outputs-file', outputsFile]);
    sandbox.world.kms.putKeyPolicy(keyArn, deployedPolicy);
    deployedBuckets[DATA_LAKE] = { ...deployedBuckets[DATA_LAKE], accept_events: acceptedEvents };
    writeOutputsFile(outputsFile, STACK, applied.outputs);
    say(
      `run exited ${refused}` +
        (refused === 20
          ? ': analytics would have lost access to demo-data-lake, and demo-thumbnails would have been sent an event per copy unannounced; nothing was written. The grant and the acceptance are deployed again.'
          : ''),
    );
    if (refused !== 20) return refused === 0 ? 1 : refused;

    say(`6. npm run migrate -- run --stack ${STACK}`);
    const ran = await migrate(['run', '--stack', STACK, '--outputs-file', outputsFile]);
    say(`The runner exited ${ran}` + (ran === 0 ? ': every version it can touch is now under the key' : ''));
    const copyEvents = sandbox.world.events.events({
      bucket: DATA_LAKE,
      destinationArn: THUMBNAILS,
      eventName: 's3:ObjectCreated:Copy',
    }).length;
    process.stdout.write(
      `  demo-thumbnails was sent ${formatCount(copyEvents)} s3:ObjectCreated:Copy events, one per copy in place (the plan's bucket-downstream line counted them)\n`,
    );

    say(`7. Run it again: nothing is submitted twice`);
    await migrate(['run', '--stack', STACK, '--outputs-file', outputsFile]);

    say('8. S3 delivers a fresh inventory; npm run migrate -- verify --bucket demo-app-assets');
    for (const bucket of config.buckets)
      await produceInventory(sandbox.world, { bucket: bucket.name, configId: INVENTORY_CONFIG_ID, at: hour });
    process.stdout.write('  (its snapshot is labelled before the jobs ended, so verify lists and HEADs every version instead)\n');
    const firstVerify = await migrate(['verify', '--stack', STACK, '--outputs-file', outputsFile, '--bucket', 'demo-app-assets']);
    say(
      `verify exited ${firstVerify}` +
        (firstVerify === 20 ? ': SSE-C and DSSE-KMS current versions remain, which the runner leaves alone' : ''),
    );

    say('9. Accept what remains: demo-app-assets lists "acceptRemaining": ["SSE-C", "DSSE-KMS"] and is deployed again');
    // Accepting changes only the stack's outputs (the bucket's accepted_exceptions), which is all a deploy would change here.
    const accepted = ['SSE-C', 'DSSE-KMS'];
    const buckets = applied.outputs.buckets as Record<string, Record<string, unknown>>;
    buckets['demo-app-assets'] = { ...buckets['demo-app-assets'], accepted_exceptions: accepted };
    writeOutputsFile(outputsFile, STACK, applied.outputs);
    process.stdout.write(
      '  SSE-C versions can only be rewritten by whoever holds their key; DSSE-KMS could instead be copied with "dsseKms": { "migrate": true }\n',
    );
    const verified = await migrate(['verify', '--stack', STACK, '--outputs-file', outputsFile]);
    say(`verify exited ${verified}`);
    for (const bucket of config.buckets) {
      const versions = [...sandbox.world.s3.versions(bucket.name)].filter((v) => !v.version.isDeleteMarker).length;
      process.stdout.write(`  sandbox world: ${bucket.name} holds ${formatCount(versions)} object versions (delete markers aside)\n`);
    }
    if (verified !== 0) return verified;

    say('10. npm run migrate -- expire --dry-run, then expire: the old unencrypted versions go away with lifecycle');
    const dryRun = await migrate(['expire', '--stack', STACK, '--outputs-file', outputsFile, '--dry-run']);
    if (dryRun !== 0) return dryRun;
    const expired = await migrate(['expire', '--stack', STACK, '--outputs-file', outputsFile]);
    say(`expire exited ${expired}`);
    const code = ran === 0 ? expired : ran;
    const guide = { endpoint: sandbox.endpoint, region: sandbox.world.region, stack: STACK, outputsFile, eventsDir, kept: flags.keep };
    say(guideLines(guide).join('\n'));
    if (flags.keep) {
      await interrupted();
      // Saved for a later look (`npm run sandbox -- events --state-dir ...`); the files stay.
      await sandbox.save(path.join(workDir, 'sandbox'));
      process.stdout.write(`Stopped. The sandbox's state and the runner's files stay in ${workDir}\n`);
    }
    return code;
  } finally {
    clients.destroy();
    await sandbox.stop();
    if (!flags.keep) fs.rmSync(workDir, { recursive: true, force: true });
  }
}

Promise.resolve()
  .then(() => demo(parseFlags(process.argv.slice(2))))
  .then(
    (code) => {
      process.exitCode = code;
    },
    (error: Error) => {
      process.stderr.write(`Demo failed: ${error.stack ?? error.message}\n`);
      process.exitCode = 1;
    },
  );
