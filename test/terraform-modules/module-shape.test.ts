// Shape checks of terraform-modules: `terraform fmt` clean, outputs named as stacks/outputs.ts, every variable documented and validated as config.ts does.
// `terraform validate` is not run: it needs the hashicorp/aws provider, which cannot be downloaded
// here (no network). A missing terraform binary fails these tests; it never skips them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { OUTPUT_DESCRIPTIONS, OUTPUT_NAMES } from '../../stacks/outputs';
import { loadConfig } from '../../stacks/config';
import {
  MODULES_DIR,
  MODULE_DIR,
  blocksOf,
  evaluateModuleData,
  moduleInputs,
  parseModuleFiles,
  runTerraform,
  terraformBinary,
} from './harness';
import { valueAt } from './parity';

describe('terraform fmt', () => {
  it('finds the terraform binary, or fails saying how to get it', () => {
    expect(() => terraformBinary()).not.toThrow();
  });

  it('reports terraform-modules formatted (fmt -check -recursive)', () => {
    const run = runTerraform(['fmt', '-check', '-recursive', '-no-color', MODULES_DIR], path.dirname(MODULES_DIR));
    expect({ status: run.status, unformatted: run.stdout.trim() }).toEqual({ status: 0, unformatted: '' });
  });
});

describe('outputs.tf', () => {
  it('declares exactly the outputs of stacks/outputs.ts, with the same descriptions', async () => {
    const files = await parseModuleFiles(MODULE_DIR);
    const outputs = (files.get('outputs.tf')!.output ?? {}) as Record<string, { description: string }[]>;
    expect(Object.keys(outputs).sort()).toEqual([...OUTPUT_NAMES].sort());
    for (const name of OUTPUT_NAMES) expect(outputs[name]![0]!.description).toBe(OUTPUT_DESCRIPTIONS[name]);
  });
});

describe('examples/*/outputs.tf', () => {
  const EXAMPLES_DIR = path.join(MODULE_DIR, 'examples');
  const examples = fs.readdirSync(EXAMPLES_DIR).filter((e) => fs.statSync(path.join(EXAMPLES_DIR, e)).isDirectory());

  it.each(examples)('in examples/%s re-exports every output of the module at the root, where the runner reads it', async (example) => {
    const files = await parseModuleFiles(path.join(EXAMPLES_DIR, example));
    const outputs = (files.get('outputs.tf')!.output ?? {}) as Record<string, { value: string }[]>;
    expect(Object.keys(outputs).sort()).toEqual([...OUTPUT_NAMES].sort());
    for (const name of OUTPUT_NAMES) expect(outputs[name]![0]!.value).toBe(`\${module.kms_migration.${name}}`);
  });

  // One file, not a copy per example: a second copy drifts. versions.tf (the provider) likewise.
  it.each(
    examples
      .filter((e) => e !== 'basic')
      .flatMap((e) => [
        [e, 'outputs.tf'],
        [e, 'versions.tf'],
      ]),
  )('in examples/%s, %s is a link to the one of examples/basic', (example, file) => {
    expect(fs.readlinkSync(path.join(EXAMPLES_DIR, example, file))).toBe(`../basic/${file}`);
  });
});

describe('variables.tf', () => {
  it('gives every variable a description and a type', async () => {
    const files = await parseModuleFiles(MODULE_DIR);
    const variables = files.get('variables.tf')!.variable as Record<string, Record<string, unknown>[]>;
    for (const [name, [body]] of Object.entries(variables)) {
      expect({ name, description: typeof body!.description, type: typeof body!.type }).toEqual({
        name,
        description: 'string',
        type: 'string',
      });
    }
  });

  // Each case breaks one rule of stacks/config.ts. Terraform reports every failing validation of a
  // run, so two runs (one per set of compatible breakages) cover all cases in about 2 s.
  const prod = () => moduleInputs(loadConfig('prod'));
  const errors: string[] = [];
  beforeAll(async () => {
    const runs = [
      {
        region: 'eu-middle-9',
        account_id: '12345678901',
        kms_key_alias: 'alias/aws/s3',
        kms_key_administrators: ['arn:aws:iam::444455556666:assumed-role/x'],
        kms_key_deletion_window_days: 3,
        buckets: [
          { name: 'acme-data' },
          { name: 'acme-data' },
          { name: 'Acme_Data' },
          { name: '10.0.0.1' },
          { name: 'acme-data--ol-s3' },
          { name: 'acme-star', prefix: '*' },
          { name: 'acme-ok', existing_policy: 'maybe' },
          {
            name: 'acme-alias-key',
            dsse_kms: {
              source_key_arns: ['arn:aws:kms:eu-west-1:444455556666:alias/legacy', 'arn:aws:kms:eu-west-1:444455556666:alias/legacy'],
            },
            accept_remaining: ['SSE-S3', 'SSE-C', 'SSE-C'],
          },
          { name: 'acme-both', dsse_kms: { migrate: true }, accept_remaining: ['DSSE-KMS'] },
          {
            name: 'acme-readers',
            readers: ['arn:aws:iam::444455556666:role/app-*', 'arn:aws:iam::444455556666:role/bi', 'arn:aws:iam::444455556666:role/bi'],
            cloudfront_distributions: ['E2QWRUHAPOMQZL', 'E2QWRUHAPOMQZL'],
            accept_losing_access: ['reporting', 'arn:aws:iam::444455556666:role/bi', 'arn:aws:iam::444455556666:role/bi'],
          },
          {
            name: 'acme-logs',
            log_delivery: ['cloudtrail', 'vended-logs', 'vended-logs', 'elb-access-logs'],
            accept_losing_access: ['delivery.logs.amazonaws.com'],
          },
          {
            name: 'acme-replicated',
            replication_roles: [
              'arn:aws:iam::444455556666:user/replicator',
              'arn:aws:iam::444455556666:role/r',
              'arn:aws:iam::444455556666:role/r',
            ],
            accept_events: ['thumbnails', 'EventBridge', 'eventbridge', 'eventbridge'],
          },
        ],
        encryption_policy_mode: 'off',
        inventory_retention_days: 0,
        inventory_format: 'JSON',
        inventory_frequency: 'Hourly',
        athena_bytes_scanned_cutoff_per_query: 1000,
        newer_noncurrent_versions: 101,
        alarm_emails: ['oncall-at-example.com'],
        tags: { 'aws:team': 'platform' },
      },
      { kms_key_users: [], buckets: [] },
    ];
    for (const override of runs) {
      const result = await evaluateModuleData({ ...prod(), ...override });
      errors.push('error' in result ? result.error.replace(/\s+/g, ' ') : 'accepted');
    }
  });
  it.each<[string, RegExp]>([
    ['an unknown region', /region: unknown region/],
    ['an 11-digit account', /account_id: must be a 12-digit/],
    ['an alias under alias/aws/', /kms_key_alias: must start/],
    ['a malformed principal', /kms_key_administrators: use arn:aws:iam/],
    ['a deletion window of 3 days', /between 7 and 30/],
    ['a bucket listed twice', /listed twice/],
    ['an invalid bucket name, or one shaped like an IP address', /not a valid S3 bucket name/],
    [
      'a bucket name S3 reserves',
      /buckets\[\*\]\.name: S3 reserves names starting with xn--, sthree- or amzn-s3-demo- and ending with -s3alias, --ol-s3, \.mrap, --x-s3 or --table-s3/,
    ],
    [
      'a prefix IAM reads as a wildcard',
      /buckets\[\*\]\.prefix: must be literal in the Batch Operations role's grant .*no \$\{, &\{ or %\{/,
    ],
    ['a tag key starting with aws:', /tags: AWS reserves keys starting with "aws:" \(in any case\)/],
    ['an existing policy that is no document', /existing_policy: must be/],
    ['an alias ARN as DSSE-KMS source key', /buckets\[\*\]\.dsse_kms\.source_key_arns: use KMS key ARNs/],
    ['a DSSE-KMS source key listed twice', /dsse_kms\.source_key_arns: a key is listed twice/],
    ['DSSE-KMS source keys without migrate', /dsse_kms\.source_key_arns: keys are listed while dsse_kms\.migrate is false/],
    ['a class the migration rewrites by itself', /buckets\[\*\]\.accept_remaining: unknown encryption class/],
    ['an accepted class listed twice', /accept_remaining: a class is listed twice/],
    ['DSSE-KMS both accepted and migrated', /buckets\[\*\]\.accept_remaining and buckets\[\*\]\.dsse_kms\.migrate: "DSSE-KMS" is accepted/],
    [
      'a wildcard reader',
      /buckets\[\*\]\.readers: use arn:aws:iam::<12-digit account>:role\/<name>, :user\/<name>, or :root of another account; no wildcards/,
    ],
    ['a reader listed twice', /buckets\[\*\]\.readers: a reader is listed twice/],
    [
      'a distribution that is no ARN',
      /buckets\[\*\]\.cloudfront_distributions: use arn:aws:cloudfront::<12-digit account>:distribution\/<distribution id>/,
    ],
    ['a distribution listed twice', /cloudfront_distributions: a distribution is listed twice/],
    [
      'an accepted loss that is neither an ARN nor a service principal',
      /buckets\[\*\]\.accept_losing_access: name each principal as an ARN/,
    ],
    ['an accepted loss listed twice', /accept_losing_access: a principal is listed twice/],
    [
      'a reader both granted and accepted to lose access',
      /accept_losing_access: a principal is granted by readers or cloudfront_distributions and accepted to lose access at once/,
    ],
    ['an unknown log delivery service', /buckets\[\*\]\.log_delivery: use "s3-server-access-logs"/],
    ['a log delivery service listed twice', /log_delivery: a service is listed twice/],
    [
      'Elastic Load Balancing access logs, which support SSE-S3 only',
      /log_delivery: "elb-access-logs": Elastic Load Balancing access logs support SSE-S3 destination buckets only/,
    ],
    [
      'a log delivery service both granted and accepted to lose access',
      /log_delivery: a service is granted by log_delivery and accepted to lose access/,
    ],
    [
      'a replication role that is a user',
      /buckets\[\*\]\.replication_roles: use the Role of the bucket's replication configuration, arn:aws:iam::<12-digit account>:role\/<name>; no wildcards/,
    ],
    ['a replication role listed twice', /replication_roles: a role is listed twice/],
    [
      'an accepted event destination that is neither an ARN nor "eventbridge"',
      /buckets\[\*\]\.accept_events: name each destination by its SNS topic, SQS queue or Lambda function ARN, or "eventbridge"; no wildcards/,
    ],
    ['an accepted event destination listed twice', /accept_events: a destination is listed twice/],
    ['an unknown encryption policy mode', /encryption_policy_mode: use "enforce"/],
    ['zero retention days', /inventory_retention_days: must be a whole number of at least 1 day/],
    ['an unknown format', /inventory_format: use/],
    ['an unknown frequency', /inventory_frequency: use/],
    ['a cutoff under 10 MB', /at least 10485760/],
    ['101 newer noncurrent versions', /between 1 and 100/],
    ['a malformed email', /alarm_emails: not an email address/],
    ['no key users', /kms_key_users: is empty/],
    ['no buckets', /buckets: is empty/],
  ])('refuses %s', (_case, message) => {
    expect(errors.join('\n')).toMatch(message);
  });
});

describe('the DSSE-KMS source key Region precondition', () => {
  // A validation block may name var.region only from Terraform 1.9, so the rule is a precondition on
  // the role policy, reading a local: the local is evaluated here, the wiring read from the HCL.
  it('finds the source keys outside var.region', async () => {
    const inputs = moduleInputs(loadConfig('prod'));
    const inRegion = 'arn:aws:kms:eu-west-1:444455556666:key/0a1b2c3d-4e5f-4071-8293-a4b5c6d7e8f9';
    const elsewhere = 'arn:aws:kms:us-east-1:444455556666:key/mrk-0123456789abcdef0123456789abcdef';
    const buckets = [{ name: 'acme-dsse', dsse_kms: { migrate: true, source_key_arns: [inRegion, elsewhere] } }];
    const result = await evaluateModuleData({ ...inputs, buckets });
    if ('error' in result) throw new Error(result.error);
    expect(result.locals.dsse_kms_source_keys_outside_region).toEqual([elsewhere]);
  });

  it('stops the plan of the role policy while any is listed', async () => {
    const blocks = blocksOf(await parseModuleFiles(MODULE_DIR));
    const rolePolicy = blocks.find((b) => b.kind === 'resource' && b.type === 'aws_iam_role_policy' && b.name === 'this');
    expect(valueAt(rolePolicy?.body, 'lifecycle.precondition.condition')).toBe('${length(local.dsse_kms_source_keys_outside_region) == 0}');
  });
});

describe('examples', () => {
  it('has the basic and existing-policies scenarios', () => {
    expect(fs.readdirSync(path.join(MODULE_DIR, 'examples')).sort()).toEqual(expect.arrayContaining(['basic', 'existing-policies']));
  });

  it.each(fs.readdirSync(path.join(MODULE_DIR, 'examples')).filter((d) => !d.startsWith('.')))(
    '%s calls the module by a relative source and has a README',
    async (example) => {
      const dir = path.join(MODULE_DIR, 'examples', example);
      const files = await parseModuleFiles(dir);
      const calls = [...files.values()].flatMap((f) => Object.values((f.module ?? {}) as Record<string, Record<string, unknown>[]>));
      expect(calls.map((c) => c[0]!.source)).toContain('../..');
      expect(fs.existsSync(path.join(dir, 'README.md'))).toBe(true);
      // Re-exported at the root, so `terraform output -json` there is what the runner reads.
      const outputs = [...files.values()].flatMap((f) => Object.keys(f.output ?? {}));
      expect(outputs.sort()).toEqual([...OUTPUT_NAMES].sort());
    },
  );
});
