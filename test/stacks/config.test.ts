// The config loader: shipped environments load, and every kind of bad config is refused with a message naming the field and fix.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  ConfigError,
  KNOWN_REGIONS,
  describeReceived,
  listStacks,
  loadConfig,
  parseConfig,
  refuseLocalStateInCi,
  runsInCi,
  sharedStateProblems,
  stackNameProblem,
} from '../../stacks/config';
import { ACCOUNT, DISTRIBUTION, DSSE_KEY, DSSE_MRK, PARTNER_READER, READER, rawConfig } from './builders';

function problemsOf(raw: unknown, stackName = 'prod'): string[] {
  try {
    parseConfig(stackName, raw);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  throw new Error('config was accepted');
}

describe('shipped environments', () => {
  it('has at least dev, prod and demo', () => {
    expect(listStacks()).toEqual(expect.arrayContaining(['demo', 'dev', 'prod']));
  });

  it.each(listStacks())('loads %s without problems', (name) => {
    const cfg = loadConfig(name);
    expect(cfg.stackName).toBe(name);
    expect(cfg.buckets.length).toBeGreaterThan(0);
  });
});

describe('defaults', () => {
  it('resolves every default', () => {
    const cfg = parseConfig('test', rawConfig());
    expect(cfg.inventory).toEqual({ frequency: 'Daily', format: 'Parquet', retentionDays: 14 });
    expect(cfg.migration).toEqual({ noncurrentVersionExpirationDays: 30, denyUnencryptedUploads: true });
    expect(cfg.key.deletionWindowDays).toBe(30);
    expect(cfg.buckets[0]).toMatchObject({ existingPolicy: 'none', versioning: true, usesAcls: false, objectLock: false });
    expect(cfg.buckets[0]).toMatchObject({ dsseKms: { migrate: false, sourceKeyArns: [] }, acceptRemaining: [] });
  });

  it('lets a bucket turn versioning off while the stack default is on', () => {
    const cfg = parseConfig('test', rawConfig({ buckets: [{ name: 'a-bucket', versioning: false }, { name: 'b-bucket' }] }));
    expect(cfg.buckets.map((b) => b.versioning)).toEqual([false, true]);
  });
});

describe('bad configurations', () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    [
      'duplicate bucket',
      { buckets: [{ name: 'same-bucket' }, { name: 'same-bucket' }] },
      /buckets\[1\]\.name: duplicate bucket 'same-bucket' \(also buckets\[0\]\)/,
    ],
    [
      'bad alias',
      { key: { alias: 'my-key', users: [`arn:aws:iam::${ACCOUNT}:role/r`] } },
      /key\.alias: bad alias "my-key": it must start with "alias\/"/,
    ],
    [
      'reserved alias',
      { key: { alias: 'alias/aws/s3', users: [`arn:aws:iam::${ACCOUNT}:role/r`] } },
      /key\.alias: bad alias "alias\/aws\/s3"/,
    ],
    ['unknown region', { region: 'eu-middle-9' }, /region: unknown region "eu-middle-9": use one of/],
    ['unknown format', { inventory: { format: 'JSON' } }, /inventory\.format: unknown format "JSON": use "CSV", "Parquet" or "ORC"/],
    ['unknown frequency', { inventory: { frequency: 'Hourly' } }, /inventory\.frequency: unknown frequency "Hourly"/],
    [
      'negative days',
      { migration: { noncurrentVersionExpirationDays: -5 } },
      /migration\.noncurrentVersionExpirationDays: must be at least 1 day .* Received: -5/,
    ],
    ['empty bucket list', { buckets: [] }, /buckets: is empty: list at least one existing bucket/],
    [
      'malformed ARN',
      { key: { alias: 'alias/a', users: ['arn:aws:iam::12:role/x'] } },
      /key\.users\[0\]: malformed IAM ARN "arn:aws:iam::12:role\/x"/,
    ],
    ['bad bucket name', { buckets: [{ name: 'Bad_Bucket' }] }, /buckets\[0\]\.name: "Bad_Bucket" is not a valid S3 bucket name/],
    ['bad account id', { accountId: '1234' }, /accountId: must be a 12-digit AWS account id\. Received: "1234"/],
    ['unknown field', { bucketz: [] }, /unknown field "bucketz": remove or correct the spelling/],
    [
      'deletion window out of range',
      { key: { alias: 'alias/a', users: [`arn:aws:iam::${ACCOUNT}:role/r`], deletionWindowDays: 3 } },
      /key\.deletionWindowDays: must be between 7 and 30 days\. Received: 3/,
    ],
    [
      'bad existing policy',
      { buckets: [{ name: 'a-bucket', existingPolicy: 'maybe' }] },
      /buckets\[0\]\.existingPolicy: expected "read" .*, received the string "maybe"/,
    ],
    ['leading slash prefix', { buckets: [{ name: 'a-bucket', prefix: '/logs' }] }, /buckets\[0\]\.prefix: must not start with "\/"/],
    ['no key users', { key: { alias: 'alias/a' } }, /key\.users: is empty: name at least the role that runs the migration runner/],
    [
      'principal of another account',
      { key: { alias: 'alias/a', users: ['arn:aws:iam::999999999999:role/r'] } },
      /principal arn:aws:iam::999999999999:role\/r is not in account 123456789012/,
    ],
    [
      'two buckets, one Glue table',
      { buckets: [{ name: 'a-b.c' }, { name: 'a.b-c' }] },
      /'a-b\.c' and 'a\.b-c' map to the same Glue table/,
    ],
    ['missing region', { region: undefined }, /region: is required/],
    [
      'a wrong type, which is not a missing field',
      { versioning: 'yes' },
      /^versioning: expected true or false, received the string "yes"$/m,
    ],
    [
      'Athena cutoff under the minimum',
      { athena: { bytesScannedCutoffPerQuery: 1000 } },
      /athena\.bytesScannedCutoffPerQuery: must be at least 10485760/,
    ],
  ];

  it.each(cases)('refuses %s', (_name, overrides, message) => {
    const problems = problemsOf(rawConfig(overrides));
    expect(problems.join('\n')).toMatch(message);
  });

  it('reports every problem at once, naming the stack', () => {
    const raw = rawConfig({ region: 'nowhere-1', inventory: { format: 'XML' }, migration: { noncurrentVersionExpirationDays: 0 } });
    let error: unknown;
    try {
      parseConfig('prod', raw);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const configError = error as ConfigError;
    expect(configError.problems).toHaveLength(3);
    expect(configError.message).toMatch(/^Configuration of stack 'prod' has 3 problems:/);
  });

  it('refuses a bad stack name', () => {
    expect(problemsOf(rawConfig(), 'Prod_Env')).toEqual([expect.stringMatching(/stack name 'Prod_Env'/)]);
  });
});

describe('names S3 reserves', () => {
  // General purpose bucket naming rules: https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
  it.each([
    ['xn--acme-data', 'starts with "xn--"'],
    ['sthree-acme', 'starts with "sthree-"'],
    ['sthree-configurator-acme', 'starts with "sthree-"'],
    ['amzn-s3-demo-bucket', 'starts with "amzn-s3-demo-"'],
    ['acme-data-s3alias', 'ends with "-s3alias"'],
    ['acme-data--ol-s3', 'ends with "--ol-s3"'],
    ['acme-data.mrap', 'ends with ".mrap"'],
    ['acme-data--usw2-az1--x-s3', 'ends with "--x-s3"'],
    ['acme-data--table-s3', 'ends with "--table-s3"'],
  ])('refuses the bucket name %j, naming the field and the reserved part', (name, reserved) => {
    expect(problemsOf(rawConfig({ buckets: [{ name }] }))).toEqual([
      expect.stringMatching(
        new RegExp(
          `^buckets\\[0\\]\\.name: "${name.replace(/\./g, '\\.')}" ${reserved}, which S3 reserves for .*: no general purpose bucket has such a name`,
        ),
      ),
    ]);
  });

  it('takes names that hold a reserved part elsewhere than where S3 reserves it', () => {
    const names = ['acme-xn--data', 'my-sthree-bucket', 'acme--ol-s3-logs', 'data.mrap.archive', 'acme-s3alias-copy'];
    expect(parseConfig('prod', rawConfig({ buckets: names.map((name) => ({ name })) })).buckets.map((b) => b.name)).toEqual(names);
  });

  it('refuses a reserved name for the state bucket too', () => {
    expect(problemsOf(rawConfig({ backend: { type: 's3', bucket: 'acme-state--ol-s3' } }))).toEqual([
      expect.stringMatching(
        /^backend\.bucket: "acme-state--ol-s3" ends with "--ol-s3", which S3 reserves for Object Lambda Access Point aliases/,
      ),
    ]);
  });
});

describe('bucket prefixes, which the Batch Operations role is granted as IAM resource ARNs', () => {
  const withPrefix = (prefix: string) => rawConfig({ buckets: [{ name: 'a-bucket', prefix }] });

  it('refuses "*", which would grant the role every key of the bucket', () => {
    expect(problemsOf(withPrefix('*'))).toEqual([
      'buckets[0].prefix: "*" holds "*", which IAM reads as a wildcard in the Batch Operations role\'s grant arn:aws:s3:::<bucket>/**, ' +
        'so the role would reach keys outside the prefix (here every key of the bucket); name a literal prefix such as "logs/", or leave "prefix" out to migrate the whole bucket',
    ]);
  });

  it.each([
    ['logs/*', /holds "\*", which IAM reads as a wildcard/],
    ['logs/2026-0?', /holds "\?", which IAM reads as a wildcard/],
    ['home/${aws:username}/', /holds "\$\{": IAM reads \$\{\.\.\.\} in a resource ARN as a policy variable/],
    ['home/&{aws:username}/', /holds "&\{": IAM reads .*\(aws_iam_policy_document writes &\{\.\.\.\} as \$\{\.\.\.\}/],
    ['a%{if true}b/', /holds "%\{": .*Terraform reads \$\{ and %\{ as its own expressions/],
    [
      'logs/日本/',
      /holds "日" \(U\+65E5\), "本" \(U\+672C\): IAM policy documents take only printable characters up to U\+00FF.*narrow to "logs\/", the prefix before them/,
    ],
    ['logs\t/', /holds U\+0009: IAM policy documents take only printable characters/],
  ])('refuses %j, naming the field and why', (prefix, message) => {
    const problems = problemsOf(withPrefix(prefix));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^buckets\[0\]\.prefix: /);
    expect(problems[0]).toMatch(message);
  });

  it('takes a prefix whose characters IAM and Terraform read literally', () => {
    const prefix = "logs/2026 (old) a+b=c,d;e@f!g'h$i&j%k{l}/données/";
    expect(parseConfig('prod', withPrefix(prefix)).buckets[0]!.prefix).toBe(prefix);
  });
});

describe('tags', () => {
  it.each(['aws:team', 'AWS:team', 'Aws:cost-center'])('refuses the tag key %j, which AWS reserves for its own tags', (key) => {
    expect(problemsOf(rawConfig({ tags: { [key]: 'x' } }))).toEqual([
      `tags.${key}: bad tag key "${key}": AWS reserves keys starting with "aws:" (in any case) for its own tags and refuses to set one; choose another prefix, such as "team:"`,
    ]);
  });

  it('takes keys that hold aws elsewhere', () => {
    const tags = { awsaccount: 'a', 'team:aws:owner': 'b', 'aws-team': 'c' };
    expect(parseConfig('prod', rawConfig({ tags })).tags).toEqual(tags);
  });

  it('still names the characters a tag key may hold', () => {
    expect(problemsOf(rawConfig({ tags: { 'cost!': 'x' } }))).toEqual([
      'tags.cost!: bad tag key "cost!": use 1-128 letters, digits, spaces and _ . : / = + - @',
    ]);
  });
});

describe('values of the wrong type', () => {
  const USER = `arn:aws:iam::${ACCOUNT}:role/r`;
  const withKey = (fields: Record<string, unknown>) => ({ key: { alias: 'alias/a', users: [USER], ...fields } });
  const withBucket = (fields: Record<string, unknown>) => ({ buckets: [{ name: 'a-bucket', ...fields }] });
  // Every field, given a value of another JSON type: a number for a string, a string for a boolean
  // or a number, an array for an object, an object for an array, null.
  const cases: [string, unknown, string][] = [
    [
      'a config that is no object',
      [],
      '(config): expected an object of stack settings such as { "region": ..., "accountId": ..., "key": {...}, "buckets": [...] }, received the array []',
    ],
    [
      'a config that is null',
      null,
      '(config): expected an object of stack settings such as { "region": ..., "accountId": ..., "key": {...}, "buckets": [...] }, received null',
    ],
    ['region', rawConfig({ region: 12 }), 'region: expected a region name string such as "eu-west-1", received the number 12'],
    ['accountId', rawConfig({ accountId: 123456789012 }), 'accountId: expected a string of 12 digits, received the number 123456789012'],
    ['accountId of null', rawConfig({ accountId: null }), 'accountId: expected a string of 12 digits, received null'],
    [
      'key',
      rawConfig({ key: [] }),
      'key: expected a key object such as { "alias": "alias/s3-migration-prod", "users": [...] }, received the array []',
    ],
    [
      'key.alias',
      rawConfig(withKey({ alias: 5 })),
      'key.alias: expected a string such as "alias/s3-migration-prod", received the number 5',
    ],
    ['key.users', rawConfig(withKey({ users: USER })), `key.users: expected a list of IAM ARNs, received the string "${USER}"`],
    [
      'key.users[0]',
      rawConfig(withKey({ users: [5] })),
      'key.users[0]: expected an IAM ARN string such as "arn:aws:iam::123456789012:role/<name>", received the number 5',
    ],
    [
      'key.administrators',
      rawConfig(withKey({ administrators: {} })),
      'key.administrators: expected a list of IAM ARNs, received the object {}',
    ],
    [
      'key.deletionWindowDays',
      rawConfig(withKey({ deletionWindowDays: '7' })),
      'key.deletionWindowDays: expected a whole number of days between 7 and 30, received the string "7"',
    ],
    [
      'buckets',
      rawConfig({ buckets: { name: 'a-bucket' } }),
      'buckets: expected a list of buckets such as [{ "name": "my-bucket" }], received the object {"name":"a-bucket"}',
    ],
    [
      'buckets[0]',
      rawConfig({ buckets: ['a-bucket'] }),
      'buckets[0]: expected a bucket object such as { "name": "my-bucket" }, received the string "a-bucket"',
    ],
    ['buckets[0].name', rawConfig({ buckets: [{ name: 5 }] }), 'buckets[0].name: expected a bucket name string, received the number 5'],
    [
      'buckets[0].prefix',
      rawConfig(withBucket({ prefix: 5 })),
      'buckets[0].prefix: expected a key prefix string such as "logs/", received the number 5',
    ],
    [
      'buckets[0].existingPolicy',
      rawConfig(withBucket({ existingPolicy: null })),
      'buckets[0].existingPolicy: expected "read" (the bucket has a policy: read it), "none" (it has none) or { "document": {...} }, received null',
    ],
    [
      'buckets[0].existingPolicy.document',
      rawConfig(withBucket({ existingPolicy: { document: [] } })),
      'buckets[0].existingPolicy.document: expected a policy document object { "Version": "2012-10-17", "Statement": [...] }, received the array []',
    ],
    [
      'buckets[0].existingPolicy.document.Version',
      rawConfig(withBucket({ existingPolicy: { document: { Version: 2012, Statement: [] } } })),
      'buckets[0].existingPolicy.document.Version: expected a policy language version string such as "2012-10-17", received the number 2012',
    ],
    [
      'buckets[0].existingPolicy.document.Statement',
      rawConfig(withBucket({ existingPolicy: { document: { Statement: {} } } })),
      'buckets[0].existingPolicy.document.Statement: expected a list of policy statements, received the object {}',
    ],
    [
      'buckets[0].existingPolicy.document.Statement[0]',
      rawConfig(withBucket({ existingPolicy: { document: { Statement: ['Allow'] } } })),
      'buckets[0].existingPolicy.document.Statement[0]: expected a policy statement object, received the string "Allow"',
    ],
    [
      'buckets[0].existingPolicy.document.Statement[0].Sid',
      rawConfig(withBucket({ existingPolicy: { document: { Statement: [{ Sid: 1 }] } } })),
      'buckets[0].existingPolicy.document.Statement[0].Sid: expected a statement id string, received the number 1',
    ],
    [
      'buckets[0].versioning',
      rawConfig(withBucket({ versioning: 'true' })),
      'buckets[0].versioning: expected true or false, received the string "true"',
    ],
    ['buckets[0].usesAcls', rawConfig(withBucket({ usesAcls: 1 })), 'buckets[0].usesAcls: expected true or false, received the number 1'],
    ['buckets[0].objectLock', rawConfig(withBucket({ objectLock: null })), 'buckets[0].objectLock: expected true or false, received null'],
    [
      'buckets[0].dsseKms',
      rawConfig(withBucket({ dsseKms: [] })),
      'buckets[0].dsseKms: expected { "migrate": true, "sourceKeyArns": ["arn:aws:kms:..."] } or nothing, received the array []',
    ],
    [
      'buckets[0].acceptRemaining[0]',
      rawConfig(withBucket({ acceptRemaining: [1] })),
      'buckets[0].acceptRemaining[0]: expected "SSE-C" or "DSSE-KMS", received the number 1',
    ],
    ['versioning', rawConfig({ versioning: 'no' }), 'versioning: expected true or false, received the string "no"'],
    [
      'inventory',
      rawConfig({ inventory: [] }),
      'inventory: expected an object with "frequency", "format" and/or "retentionDays", received the array []',
    ],
    [
      'inventory.frequency',
      rawConfig({ inventory: { frequency: 1 } }),
      'inventory.frequency: expected "Daily" or "Weekly", received the number 1',
    ],
    ['inventory.format', rawConfig({ inventory: { format: null } }), 'inventory.format: expected "CSV", "Parquet" or "ORC", received null'],
    [
      'inventory.retentionDays',
      rawConfig({ inventory: { retentionDays: '14' } }),
      'inventory.retentionDays: expected a whole number of days, at least 1 (how long inventory reports are kept), received the string "14"',
    ],
    [
      'migration',
      rawConfig({ migration: 'x' }),
      'migration: expected an object with "noncurrentVersionExpirationDays", "newerNoncurrentVersions" and/or "denyUnencryptedUploads", received the string "x"',
    ],
    [
      'migration.noncurrentVersionExpirationDays',
      rawConfig({ migration: { noncurrentVersionExpirationDays: [30] } }),
      'migration.noncurrentVersionExpirationDays: expected a whole number of days, at least 1 (how long old versions stay after the migration), received the array [30]',
    ],
    [
      'migration.newerNoncurrentVersions',
      rawConfig({ migration: { newerNoncurrentVersions: '3' } }),
      'migration.newerNoncurrentVersions: expected a whole number between 1 and 100, received the string "3"',
    ],
    [
      'migration.denyUnencryptedUploads',
      rawConfig({ migration: { denyUnencryptedUploads: 'no' } }),
      'migration.denyUnencryptedUploads: expected true or false, received the string "no"',
    ],
    [
      'reports',
      rawConfig({ reports: 400 }),
      'reports: expected an object with "retentionDays" and/or "athenaResultsRetentionDays", received the number 400',
    ],
    [
      'reports.retentionDays',
      rawConfig({ reports: { retentionDays: true } }),
      'reports.retentionDays: expected a whole number of days, at least 1 (how long manifests and completion reports are kept), received the boolean true',
    ],
    [
      'reports.athenaResultsRetentionDays',
      rawConfig({ reports: { athenaResultsRetentionDays: '7' } }),
      'reports.athenaResultsRetentionDays: expected a whole number of days, at least 1 (how long Athena query results are kept), received the string "7"',
    ],
    ['athena', rawConfig({ athena: [] }), 'athena: expected an object with "bytesScannedCutoffPerQuery", received the array []'],
    [
      'athena.bytesScannedCutoffPerQuery',
      rawConfig({ athena: { bytesScannedCutoffPerQuery: '1 GB' } }),
      'athena.bytesScannedCutoffPerQuery: expected a whole number of bytes, at least 10485760 (10 MB), received the string "1 GB"',
    ],
    ['alarm', rawConfig({ alarm: true }), 'alarm: expected an object with "enabled" and/or "emails", received the boolean true'],
    ['alarm.enabled', rawConfig({ alarm: { enabled: 'on' } }), 'alarm.enabled: expected true or false, received the string "on"'],
    [
      'alarm.emails',
      rawConfig({ alarm: { emails: 'ops@example.com' } }),
      'alarm.emails: expected a list of email addresses, received the string "ops@example.com"',
    ],
    ['alarm.emails[0]', rawConfig({ alarm: { emails: [5] } }), 'alarm.emails[0]: expected an email address string, received the number 5'],
    [
      'compliance',
      rawConfig({ compliance: true }),
      'compliance: expected an object with "awsConfigRule" (true needs an AWS Config configuration recorder in the account), received the boolean true',
    ],
    [
      'compliance.awsConfigRule',
      rawConfig({ compliance: { awsConfigRule: 'yes' } }),
      'compliance.awsConfigRule: expected true or false, received the string "yes"',
    ],
    [
      'backend.bucket',
      rawConfig({ backend: { type: 's3', bucket: ['state'] } }),
      'backend.bucket: expected the name string of the existing S3 bucket that holds Terraform state, received the array ["state"]',
    ],
    [
      'backend.region',
      rawConfig({ backend: { type: 's3', bucket: 'state-bucket', region: 1 } }),
      'backend.region: expected a region name string such as "eu-west-1", received the number 1',
    ],
    ['tags', rawConfig({ tags: [] }), 'tags: expected an object of tag names to string values, received the array []'],
    ['tags.<name>', rawConfig({ tags: { team: 7 } }), 'tags.team: expected a tag value string, received the number 7'],
  ];

  it.each(cases)('names the expected type and the value received for %s', (_field, raw, message) => {
    expect(problemsOf(raw)).toEqual([message]);
  });

  it('names a misspelt compliance setting instead of ignoring it', () => {
    expect(problemsOf(rawConfig({ compliance: { awsConfigRules: true } }))).toEqual([
      'compliance: unknown field "awsConfigRules": remove or correct the spelling',
    ]);
  });

  it('keeps "is required" for a field that is missing, not of the wrong type', () => {
    expect(problemsOf(rawConfig({ accountId: undefined }))).toEqual(['accountId: is required']);
  });

  it('reports the fields of an existing policy object that is missing its document', () => {
    expect(problemsOf(rawConfig(withBucket({ existingPolicy: { documnt: {} } })))).toEqual([
      'buckets[0].existingPolicy.document: is required',
      'buckets[0].existingPolicy: unknown field "documnt": remove or correct the spelling',
    ]);
  });
});

describe('describeReceived', () => {
  it.each<[unknown, string]>([
    [123456789012, 'the number 123456789012'],
    [-5.5, 'the number -5.5'],
    ['yes', 'the string "yes"'],
    ['', 'the string ""'],
    [true, 'the boolean true'],
    [null, 'null'],
    [[], 'the array []'],
    [['a', 1], 'the array ["a",1]'],
    [{ migrate: true }, 'the object {"migrate":true}'],
    ['k'.repeat(81), `the string "${'k'.repeat(80)}…" (81 characters)`],
    [Array.from({ length: 30 }, (_, i) => i), `the array ${JSON.stringify(Array.from({ length: 30 }, (_, i) => i)).slice(0, 80)}…`],
  ])('describes %p as %p', (value, described) => {
    expect(describeReceived(value)).toBe(described);
  });

  it('shows a value of exactly the limit whole', () => {
    expect(describeReceived('k'.repeat(80))).toBe(`the string "${'k'.repeat(80)}"`);
  });
});

describe('stack names', () => {
  it.each(['prod', 'a', 'eu-west-1-data', 'a'.repeat(20)])('takes %p', (name) => {
    expect(stackNameProblem(name)).toBeUndefined();
  });

  it.each(['Demo', '../etc', '', 'a'.repeat(21), '1prod', 'prod_env', '-prod', 'prod/x'])('refuses %p, saying the rule', (name) => {
    expect(stackNameProblem(name)).toBe(`stack name '${name}': use 1-20 lower-case letters, digits and hyphens, starting with a letter`);
  });

  it('is the rule parseConfig applies', () => {
    expect(problemsOf(rawConfig(), '../etc')).toEqual([stackNameProblem('../etc')]);
  });
});

describe('DSSE-KMS migration and accepted exceptions', () => {
  const withBucket = (bucket: Record<string, unknown>) => rawConfig({ buckets: [{ name: 'data-bucket', ...bucket }] });

  it.each<[string, Record<string, unknown>]>([
    ['migrating under the stack key only', { dsseKms: { migrate: true } }],
    ['migrating from listed keys, a multi-Region one included', { dsseKms: { migrate: true, sourceKeyArns: [DSSE_KEY, DSSE_MRK] } }],
    [
      'a source key of another account',
      { dsseKms: { migrate: true, sourceKeyArns: ['arn:aws:kms:eu-west-1:999999999999:key/0a1b2c3d-4e5f-4071-8293-a4b5c6d7e8f9'] } },
    ],
    ['accepting both classes while not migrating', { acceptRemaining: ['SSE-C', 'DSSE-KMS'] }],
    ['accepting SSE-C while migrating DSSE-KMS', { dsseKms: { migrate: true }, acceptRemaining: ['SSE-C'] }],
  ])('accepts %s', (_name, bucket) => {
    const cfg = parseConfig('test', withBucket(bucket));
    expect(cfg.buckets[0]).toMatchObject(bucket);
  });

  const otherRegionKey = `arn:aws:kms:us-east-1:${ACCOUNT}:key/0a1b2c3d-4e5f-4071-8293-a4b5c6d7e8f9`;
  const cases: [string, Record<string, unknown>, string][] = [
    [
      'dsseKms that is no object',
      { dsseKms: true },
      'buckets[0].dsseKms: expected { "migrate": true, "sourceKeyArns": ["arn:aws:kms:..."] } or nothing, received the boolean true',
    ],
    [
      'migrate that is no boolean',
      { dsseKms: { migrate: 'yes' } },
      'buckets[0].dsseKms.migrate: expected true or false, received the string "yes"',
    ],
    [
      'a misspelt dsseKms field',
      { dsseKms: { migrate: true, keys: [] } },
      'buckets[0].dsseKms: unknown field "keys": remove or correct the spelling',
    ],
    [
      'sourceKeyArns that is no list',
      { dsseKms: { migrate: true, sourceKeyArns: DSSE_KEY } },
      `buckets[0].dsseKms.sourceKeyArns: expected a list of KMS key ARNs such as ["arn:aws:kms:eu-west-1:111122223333:key/<key id>"], received the string "${DSSE_KEY}"`,
    ],
    [
      'a source key that is no string',
      { dsseKms: { migrate: true, sourceKeyArns: [42] } },
      'buckets[0].dsseKms.sourceKeyArns[0]: expected a KMS key ARN string, received the number 42',
    ],
    [
      'an alias ARN as source key',
      { dsseKms: { migrate: true, sourceKeyArns: [`arn:aws:kms:eu-west-1:${ACCOUNT}:alias/legacy`] } },
      `buckets[0].dsseKms.sourceKeyArns[0]: "arn:aws:kms:eu-west-1:${ACCOUNT}:alias/legacy" is an alias ARN: IAM grants kms:Decrypt on the key itself, never through an alias; use the key ARN (aws kms describe-key --key-id <alias> prints it)`,
    ],
    [
      'a malformed key ARN',
      { dsseKms: { migrate: true, sourceKeyArns: [`arn:aws:kms:eu-west-1:${ACCOUNT}:key/legacy`] } },
      `buckets[0].dsseKms.sourceKeyArns[0]: malformed KMS key ARN "arn:aws:kms:eu-west-1:${ACCOUNT}:key/legacy": use arn:aws:kms:<region>:<12-digit account>:key/<key id>`,
    ],
    [
      "a key outside the stack's region",
      { dsseKms: { migrate: true, sourceKeyArns: [DSSE_KEY, otherRegionKey] } },
      `buckets[0].dsseKms.sourceKeyArns[1]: key ${otherRegionKey} is in us-east-1, not in the stack's region eu-west-1: S3 encrypts a bucket's objects only with keys of the bucket's Region, so no version can be under it; list the key's eu-west-1 ARN (for a multi-Region key, its eu-west-1 replica)`,
    ],
    [
      'source keys without migrate',
      { dsseKms: { sourceKeyArns: [DSSE_KEY] } },
      'buckets[0].dsseKms.sourceKeyArns: lists 1 key while dsseKms.migrate is false, so nothing would use them: set "migrate": true to copy DSSE-KMS versions in place, or remove the keys',
    ],
    [
      'a source key listed twice',
      { dsseKms: { migrate: true, sourceKeyArns: [DSSE_KEY, DSSE_MRK, DSSE_KEY] } },
      `buckets[0].dsseKms.sourceKeyArns[2]: ${DSSE_KEY} is listed twice (also sourceKeyArns[0]): list each key once`,
    ],
    [
      'acceptRemaining that is no list',
      { acceptRemaining: 'SSE-C' },
      'buckets[0].acceptRemaining: expected a list of "SSE-C" and/or "DSSE-KMS", received the string "SSE-C"',
    ],
    [
      'a class the migration rewrites by itself',
      { acceptRemaining: ['SSE-S3'] },
      'buckets[0].acceptRemaining[0]: unknown encryption class "SSE-S3": use "SSE-C" or "DSSE-KMS", the only classes the migration does not rewrite by itself',
    ],
    [
      'a class listed twice',
      { acceptRemaining: ['SSE-C', 'DSSE-KMS', 'SSE-C'] },
      'buckets[0].acceptRemaining[2]: "SSE-C" is listed twice (also acceptRemaining[0]): list each class once',
    ],
    [
      'DSSE-KMS both accepted and migrated',
      { dsseKms: { migrate: true }, acceptRemaining: ['DSSE-KMS'] },
      'buckets[0].acceptRemaining and buckets[0].dsseKms.migrate: "DSSE-KMS" is accepted as remaining while dsseKms.migrate is true: remove "DSSE-KMS" from acceptRemaining to migrate those versions, or set dsseKms.migrate to false to leave them as reported exceptions',
    ],
  ];

  it.each(cases)('refuses %s, saying exactly why', (_name, bucket, message) => {
    expect(problemsOf(withBucket(bucket))).toEqual([message]);
  });

  it('names the stack and the bucket index of each problem', () => {
    const raw = rawConfig({ buckets: [{ name: 'data-bucket' }, { name: 'logs-bucket', acceptRemaining: ['NOT-SSE'] }] });
    expect(() => parseConfig('prod', raw)).toThrow(
      /^Configuration of stack 'prod' has 1 problem:\n {2}- buckets\[1\]\.acceptRemaining\[0\]: unknown encryption class "NOT-SSE"/,
    );
  });
});

describe('replication roles and accepted event destinations of a bucket', () => {
  const ROLE = `arn:aws:iam::${ACCOUNT}:role/s3-replication`;
  const FUNCTION = `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:thumbnails`;
  const withBucket = (bucket: Record<string, unknown>) => rawConfig({ buckets: [{ name: 'data-bucket', ...bucket }] });

  it('defaults to none of each', () => {
    expect(parseConfig('test', rawConfig()).buckets[0]).toMatchObject({ replicationRoles: [], acceptEvents: [] });
  });

  it.each<[string, Record<string, unknown>]>([
    [
      'a replication role of the account and one of another account',
      { replicationRoles: [ROLE, 'arn:aws:iam::210987654321:role/dr/replication'] },
    ],
    [
      'a function, a function alias, a queue, a topic and EventBridge accepted to receive events',
      {
        acceptEvents: [
          FUNCTION,
          `${FUNCTION}:live`,
          `arn:aws:sqs:eu-west-1:${ACCOUNT}:ingest-queue`,
          `arn:aws:sns:eu-west-1:${ACCOUNT}:uploads.fifo`,
          'eventbridge',
        ],
      },
    ],
  ])('accepts %s', (_name, bucket) => {
    expect(parseConfig('test', withBucket(bucket)).buckets[0]).toMatchObject(bucket);
  });

  const cases: [string, Record<string, unknown>, string][] = [
    [
      'replicationRoles that is no list',
      { replicationRoles: ROLE },
      `buckets[0].replicationRoles: expected a list of IAM role ARNs such as ["arn:aws:iam::123456789012:role/s3-replication"], received the string "${ROLE}"`,
    ],
    [
      'a replication role that is a user',
      { replicationRoles: [`arn:aws:iam::${ACCOUNT}:user/replicator`] },
      `buckets[0].replicationRoles[0]: "arn:aws:iam::${ACCOUNT}:user/replicator" is not an IAM role ARN: S3 replicates as the role named in the bucket's replication configuration (its Role), arn:aws:iam::<12-digit account>:role/<name>`,
    ],
    [
      'a wildcard replication role',
      { replicationRoles: [`arn:aws:iam::${ACCOUNT}:role/replication-*`] },
      `buckets[0].replicationRoles[0]: "arn:aws:iam::${ACCOUNT}:role/replication-*" holds a wildcard: replicationRoles grants name each principal, so that a grant reaches only who it names; list them one by one`,
    ],
    [
      'a replication role listed twice',
      { replicationRoles: [ROLE, ROLE] },
      `buckets[0].replicationRoles[1]: ${ROLE} is listed twice (also replicationRoles[0]): list each role once`,
    ],
    [
      'a replication role accepted to lose access',
      { replicationRoles: [ROLE], acceptLosingAccess: [ROLE] },
      `buckets[0].acceptLosingAccess[0]: ${ROLE} is granted by buckets[0].replicationRoles[0] and accepted to lose access at once: remove it from one of them`,
    ],
    [
      'an event destination that is a bare function name',
      { acceptEvents: ['thumbnails'] },
      'buckets[0].acceptEvents[0]: "thumbnails" is not an event notification destination: use the ARN of an SNS topic (arn:aws:sns:<region>:<account>:<name>), an SQS queue (arn:aws:sqs:...) or a Lambda function (arn:aws:lambda:<region>:<account>:function:<name>), or "eventbridge", as the runner\'s plan names it',
    ],
    [
      'an event destination that is an IAM role',
      { acceptEvents: [ROLE] },
      `buckets[0].acceptEvents[0]: "${ROLE}" is not an event notification destination: use the ARN of an SNS topic (arn:aws:sns:<region>:<account>:<name>), an SQS queue (arn:aws:sqs:...) or a Lambda function (arn:aws:lambda:<region>:<account>:function:<name>), or "eventbridge", as the runner's plan names it`,
    ],
    [
      'EventBridge not in lower case',
      { acceptEvents: ['EventBridge'] },
      'buckets[0].acceptEvents[0]: "EventBridge": write "eventbridge" in lower case',
    ],
    [
      'a wildcard event destination',
      { acceptEvents: [`arn:aws:lambda:eu-west-1:${ACCOUNT}:function:*`] },
      `buckets[0].acceptEvents[0]: "arn:aws:lambda:eu-west-1:${ACCOUNT}:function:*" holds a wildcard: acceptEvents grants name each principal, so that a grant reaches only who it names; list them one by one`,
    ],
    [
      'an event destination listed twice',
      { acceptEvents: ['eventbridge', 'eventbridge'] },
      'buckets[0].acceptEvents[1]: eventbridge is listed twice (also acceptEvents[0]): list each destination once',
    ],
  ];

  it.each(cases)('refuses %s, saying exactly why', (_name, bucket, message) => {
    expect(problemsOf(withBucket(bucket))).toEqual([message]);
  });

  it('refuses two buckets whose names make the same statement id when one grants a replication role', () => {
    const raw = rawConfig({
      buckets: [
        { name: 'acme-2024', replicationRoles: [ROLE] },
        { name: 'acme2024', readers: [READER] },
      ],
    });
    expect(problemsOf(raw)).toEqual([
      "buckets: 'acme-2024' and 'acme2024' both grant readers, distributions, log delivery or replication roles under the key policy statement id 'Acme2024' (ids keep only letters and digits): migrate one of them in another stack",
    ]);
  });
});

describe('readers, CloudFront distributions and accepted losses of a bucket', () => {
  const RUNNER = `arn:aws:iam::${ACCOUNT}:role/runner`;
  const withBucket = (bucket: Record<string, unknown>) => rawConfig({ buckets: [{ name: 'data-bucket', ...bucket }] });

  it('defaults to none of each, and to enforcing the encryption policy', () => {
    const cfg = parseConfig('test', rawConfig());
    expect(cfg.buckets[0]).toMatchObject({ readers: [], cloudfrontDistributions: [], acceptLosingAccess: [], logDelivery: [] });
    expect(cfg.encryptionPolicy).toEqual({ mode: 'enforce' });
  });

  it.each<[string, Record<string, unknown>]>([
    ['a role of the account and one of another account', { readers: [READER, PARTNER_READER] }],
    ['the root of another account', { readers: ['arn:aws:iam::210987654321:root'] }],
    ['a distribution', { cloudfrontDistributions: [DISTRIBUTION] }],
    ['S3 server access logs and vended logs delivered into the bucket', { logDelivery: ['s3-server-access-logs', 'vended-logs'] }],
    [
      'a role, a legacy origin access identity and a service principal accepted to lose access',
      {
        acceptLosingAccess: [
          `arn:aws:iam::${ACCOUNT}:role/old-batch`,
          'arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E3ABCDEF',
          'logging.s3.amazonaws.com',
        ],
      },
    ],
  ])('accepts %s', (_name, bucket) => {
    expect(parseConfig('test', withBucket(bucket)).buckets[0]).toMatchObject(bucket);
  });

  it('takes audit mode', () => {
    expect(parseConfig('test', rawConfig({ encryptionPolicy: { mode: 'audit' } })).encryptionPolicy).toEqual({ mode: 'audit' });
  });

  const cases: [string, Record<string, unknown>, string][] = [
    [
      'readers that is no list',
      { readers: READER },
      `buckets[0].readers: expected a list of IAM ARNs such as ["arn:aws:iam::123456789012:role/reporting"], received the string "${READER}"`,
    ],
    [
      'a wildcard reader',
      { readers: [`arn:aws:iam::${ACCOUNT}:role/app-*`] },
      `buckets[0].readers[0]: "arn:aws:iam::${ACCOUNT}:role/app-*" holds a wildcard: readers grants name each principal, so that a grant reaches only who it names; list them one by one`,
    ],
    [
      'a reader that is no IAM principal',
      { readers: [`arn:aws:sts::${ACCOUNT}:assumed-role/reporting/session`] },
      `buckets[0].readers[0]: malformed IAM ARN "arn:aws:sts::${ACCOUNT}:assumed-role/reporting/session": use arn:aws:iam::<12-digit account>:role/<name>, :user/<name>, or :root of another account`,
    ],
    [
      'a reader listed twice',
      { readers: [READER, PARTNER_READER, READER] },
      `buckets[0].readers[2]: ${READER} is listed twice (also readers[0]): list each reader once`,
    ],
    [
      'a reader that is a key user',
      { readers: [READER, RUNNER] },
      `buckets[0].readers[1]: ${RUNNER} is also key.users[0], which already lets it read and write every migrated bucket through S3: list it in one place (readers for decrypt on this bucket only)`,
    ],
    [
      "the account's own root as reader",
      { readers: [`arn:aws:iam::${ACCOUNT}:root`] },
      `buckets[0].readers[0]: arn:aws:iam::${ACCOUNT}:root is this account's root: granting it would let every IAM policy of account ${ACCOUNT} grant decrypt; name the roles or users that read the bucket`,
    ],
    [
      'a distribution ARN of another shape',
      { cloudfrontDistributions: ['E2QWRUHAPOMQZL'] },
      'buckets[0].cloudfrontDistributions[0]: malformed CloudFront distribution ARN "E2QWRUHAPOMQZL": use arn:aws:cloudfront::<12-digit account>:distribution/<distribution id>',
    ],
    [
      'a wildcard distribution',
      { cloudfrontDistributions: [`arn:aws:cloudfront::${ACCOUNT}:distribution/*`] },
      `buckets[0].cloudfrontDistributions[0]: "arn:aws:cloudfront::${ACCOUNT}:distribution/*" holds a wildcard: cloudfrontDistributions grants name each principal, so that a grant reaches only who it names; list them one by one`,
    ],
    [
      'a distribution listed twice',
      { cloudfrontDistributions: [DISTRIBUTION, DISTRIBUTION] },
      `buckets[0].cloudfrontDistributions[1]: ${DISTRIBUTION} is listed twice (also cloudfrontDistributions[0]): list each distribution once`,
    ],
    [
      'an accepted loss that is neither an ARN nor a service principal',
      { acceptLosingAccess: ['reporting'] },
      'buckets[0].acceptLosingAccess[0]: "reporting" is neither an ARN (arn:aws:iam::<account>:role/<name>, arn:aws:cloudfront::<account>:distribution/<id>, ...) nor a service principal (<service>.amazonaws.com): name the principal as the runner\'s report does',
    ],
    [
      'a reader both granted and accepted to lose access',
      { readers: [READER], acceptLosingAccess: [READER] },
      `buckets[0].acceptLosingAccess[0]: ${READER} is granted by buckets[0].readers[0] and accepted to lose access at once: remove it from one of them`,
    ],
    [
      'an unknown log delivery service',
      { logDelivery: ['cloudtrail'] },
      'buckets[0].logDelivery[0]: unknown log delivery "cloudtrail": use "s3-server-access-logs" (S3 server access logs), "vended-logs" (delivery.logs.amazonaws.com: VPC flow logs, CloudFront standard logs, ...) or "elb-access-logs"',
    ],
    [
      'Elastic Load Balancing access logs, which support SSE-S3 destinations only',
      { logDelivery: ['s3-server-access-logs', 'elb-access-logs'] },
      'buckets[0].logDelivery[1]: "elb-access-logs": Elastic Load Balancing access logs support SSE-S3 destination buckets only ' +
        '(https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html), so no key policy keeps them arriving once ' +
        "'data-bucket' is under the key. Point the load balancers' access logs at a bucket that keeps SSE-S3 (outside this stack) first, then remove \"elb-access-logs\" and migrate this bucket",
    ],
    [
      'a log delivery service listed twice',
      { logDelivery: ['vended-logs', 'vended-logs'] },
      'buckets[0].logDelivery[1]: vended-logs is listed twice (also logDelivery[0]): list each service once',
    ],
    [
      'a log delivery service both granted and accepted to lose access',
      { logDelivery: ['s3-server-access-logs'], acceptLosingAccess: ['logging.s3.amazonaws.com'] },
      'buckets[0].logDelivery[0]: "s3-server-access-logs" grants logging.s3.amazonaws.com, which buckets[0].acceptLosingAccess[0] accepts to lose access: remove it from one of them',
    ],
    [
      'a key user accepted to lose access',
      { acceptLosingAccess: [RUNNER] },
      `buckets[0].acceptLosingAccess[0]: ${RUNNER} is granted by key.users[0] and accepted to lose access at once: remove it from one of them`,
    ],
  ];

  it.each(cases)('refuses %s, saying exactly why', (_name, bucket, message) => {
    expect(problemsOf(withBucket(bucket))).toEqual([message]);
  });

  it('refuses an unknown encryption policy mode', () => {
    expect(problemsOf(rawConfig({ encryptionPolicy: { mode: 'off' } }))).toEqual([
      'encryptionPolicy.mode: unknown mode "off": use "enforce" (refuse uploads naming another encryption) or "audit" (leave those denies out while you find such writers)',
    ]);
  });

  it('refuses two granting buckets whose names make the same statement id', () => {
    const raw = rawConfig({
      buckets: [
        { name: 'acme-2024', readers: [READER] },
        { name: 'acme2024', cloudfrontDistributions: [DISTRIBUTION] },
      ],
    });
    expect(problemsOf(raw)).toEqual([
      "buckets: 'acme-2024' and 'acme2024' both grant readers, distributions, log delivery or replication roles under the key policy statement id 'Acme2024' (ids keep only letters and digits): migrate one of them in another stack",
    ]);
  });

  it('takes such buckets while only one of them grants', () => {
    expect(() =>
      parseConfig('test', rawConfig({ buckets: [{ name: 'acme-2024', readers: [READER] }, { name: 'acme2024' }] })),
    ).not.toThrow();
  });
});

describe('loading files', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kms-config-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('names the known stacks when a config file is missing', () => {
    fs.writeFileSync(path.join(dir, 'dev.json'), JSON.stringify(rawConfig()));
    expect(() => loadConfig('staging', dir)).toThrow(/no config file .*staging\.json: known stacks are dev/);
  });

  it('says a file is not JSON', () => {
    fs.writeFileSync(path.join(dir, 'dev.json'), '{ region: ');
    expect(() => loadConfig('dev', dir)).toThrow(/dev\.json is not valid JSON/);
  });

  const problemsOfFile = (text: string): string[] => {
    fs.writeFileSync(path.join(dir, 'dev.json'), text);
    try {
      loadConfig('dev', dir);
    } catch (error) {
      if (error instanceof ConfigError) return [...error.problems];
      throw error;
    }
    throw new Error('config was accepted');
  };

  it('refuses a key repeated in one bucket, naming the file, the bucket and both lines', () => {
    // JSON.parse would take the second "versioning", true, and say nothing.
    const text = [
      '{',
      '  "region": "eu-west-1",',
      '  "accountId": "123456789012",',
      `  "key": { "alias": "alias/a", "users": ["arn:aws:iam::${ACCOUNT}:role/r"] },`,
      '  "buckets": [',
      '    { "name": "data-bucket" },',
      '    {',
      '      "name": "logs-bucket",',
      '      "versioning": false,',
      '      "versioning": true',
      '    }',
      '  ]',
      '}',
    ].join('\n');
    const file = path.join(dir, 'dev.json');
    expect(problemsOfFile(text)).toEqual([
      `${file}: duplicate key "versioning" at buckets[1], line 10 (first on line 9): JSON keeps only the last value; keep one`,
    ]);
  });

  it('refuses repeated keys at any depth, reported with the schema problems of the same file', () => {
    const text = [
      '{',
      '  "region": "eu-west-1",',
      '  "accountId": "123456789012",',
      '  "region": "mars-1",',
      `  "key": { "alias": "alias/a", "users": ["arn:aws:iam::${ACCOUNT}:role/r"], "alias": "alias/b" },`,
      '  "buckets": [{ "name": "data-bucket", "existingPolicy": { "document": { "Statement": [{ "Sid": "A", "Sid": "B" }] } } }]',
      '}',
    ].join('\n');
    const file = path.join(dir, 'dev.json');
    expect(problemsOfFile(text)).toEqual([
      `${file}: duplicate key "region" at the top level, line 4 (first on line 2): JSON keeps only the last value; keep one`,
      `${file}: duplicate key "alias" at key, line 5 (first on line 5): JSON keeps only the last value; keep one`,
      `${file}: duplicate key "Sid" at buckets[0].existingPolicy.document.Statement[0], line 6 (first on line 6): JSON keeps only the last value; keep one`,
      `region: unknown region "mars-1": use one of ${KNOWN_REGIONS.join(', ')}`,
    ]);
  });

  it('takes the same key in different objects', () => {
    fs.writeFileSync(path.join(dir, 'dev.json'), JSON.stringify(rawConfig(), null, 2));
    expect(loadConfig('dev', dir).buckets.map((b) => b.name)).toEqual(['data-bucket', 'logs-bucket']);
  });
});

describe('state backend', () => {
  const STATE_BUCKET = 'acme-terraform-state';
  const withBackend = (backend: unknown) => rawConfig({ backend });

  it('keeps state local, not allowed in CI, when the config names no backend', () => {
    expect(parseConfig('dev', rawConfig()).backend).toEqual({ type: 'local', allowInCi: false });
  });

  it('takes a local backend that says building it in CI is intended', () => {
    expect(parseConfig('dev', withBackend({ type: 'local', allowInCi: true })).backend).toEqual({ type: 'local', allowInCi: true });
  });

  it("resolves an S3 backend to one key per stack, in the stack's region, encrypted", () => {
    const backend = { type: 's3', bucket: STATE_BUCKET };
    expect(parseConfig('prod', withBackend(backend)).backend).toEqual({
      type: 's3',
      bucket: STATE_BUCKET,
      key: 'kms-migration/prod/terraform.tfstate',
      region: 'eu-west-1',
      encrypt: true,
    });
    expect(parseConfig('staging', withBackend(backend)).backend).toMatchObject({ key: 'kms-migration/staging/terraform.tfstate' });
  });

  it('takes the key, region and encryption it is given', () => {
    const backend = { type: 's3', bucket: 'state.acme-1', key: 'teams/platform/kms_(prod)!.tfstate', region: 'us-east-1', encrypt: false };
    expect(parseConfig('prod', withBackend(backend)).backend).toEqual(backend);
  });

  const s3 = (fields: Record<string, unknown>) => ({ type: 's3', bucket: STATE_BUCKET, ...fields });
  const cases: [string, unknown, string][] = [
    [
      'a backend that is no object',
      'local',
      'backend: expected { "type": "s3", "bucket": "<state bucket>" } or { "type": "local" }, or nothing for local state, received the string "local"',
    ],
    [
      'an unknown type',
      { type: 'gcs', bucket: STATE_BUCKET },
      'backend.type: unknown backend type "gcs": use "s3" (remote, locked state: what a pipeline needs) or "local"',
    ],
    [
      'a type that is no string',
      { type: 3, bucket: STATE_BUCKET },
      'backend.type: expected "s3" (remote, locked state: what a pipeline needs) or "local", received the number 3',
    ],
    [
      'a backend without a type',
      { bucket: STATE_BUCKET },
      'backend.type: is required: "s3" (remote, locked state: what a pipeline needs) or "local"',
    ],
    ['an S3 backend without a bucket', { type: 's3' }, 'backend.bucket: is required'],
    [
      'a bad bucket name',
      s3({ bucket: 'Acme_State' }),
      'backend.bucket: "Acme_State" is not a valid S3 bucket name: 3-63 lower-case letters, digits, dots, hyphens, starting and ending with a letter or digit',
    ],
    [
      'a bucket shaped like an IP address',
      s3({ bucket: '192.168.1.10' }),
      'backend.bucket: "192.168.1.10" is not a valid S3 bucket name: 3-63 lower-case letters, digits, dots, hyphens, starting and ending with a letter or digit',
    ],
    [
      'a key that is no string',
      s3({ key: 42 }),
      'backend.key: expected a string such as "kms-migration/prod/terraform.tfstate", received the number 42',
    ],
    ['an empty key', s3({ key: '' }), 'backend.key: must not be empty: leave "key" out for kms-migration/<stack>/terraform.tfstate'],
    [
      'a key with a leading slash',
      s3({ key: '/kms/prod.tfstate' }),
      `backend.key: "/kms/prod.tfstate" starts or ends with "/": Terraform's S3 backend refuses that; write e.g. "kms-migration/prod/terraform.tfstate"`,
    ],
    [
      'a key that is a folder',
      s3({ key: 'kms/prod/' }),
      `backend.key: "kms/prod/" starts or ends with "/": Terraform's S3 backend refuses that; write e.g. "kms-migration/prod/terraform.tfstate"`,
    ],
    [
      'a key with an empty segment',
      s3({ key: 'kms//prod.tfstate' }),
      `backend.key: "kms//prod.tfstate" contains "//": Terraform's S3 backend refuses empty path segments`,
    ],
    [
      'a key with a ".." segment',
      s3({ key: 'kms/../prod.tfstate' }),
      'backend.key: "kms/../prod.tfstate" has a "." or ".." segment: S3 keeps it literally, the console and most tools do not; name the folders',
    ],
    [
      'a key with a space',
      s3({ key: 'kms migration/prod.tfstate' }),
      `backend.key: "kms migration/prod.tfstate" has characters outside letters, digits and ! - _ . * ' ( ) /: use only those, which need no encoding in S3 keys and IAM policies`,
    ],
    [
      'a key longer than S3 allows with its lock file',
      s3({ key: `${'k'.repeat(1010)}.tfstate` }),
      'backend.key: is 1018 bytes long: S3 keys are at most 1024 bytes, and the lock file adds ".tflock"; use at most 1017',
    ],
    [
      'an unknown region',
      s3({ region: 'eu-middle-9' }),
      `backend.region: unknown region "eu-middle-9": use one of ${KNOWN_REGIONS.join(', ')}`,
    ],
    ['encrypt that is no boolean', s3({ encrypt: 'yes' }), 'backend.encrypt: expected true or false, received the string "yes"'],
    [
      'a DynamoDB lock table, which the lock file replaces',
      s3({ dynamodbTable: 'locks' }),
      'backend: unknown field "dynamodbTable": remove or correct the spelling',
    ],
    ['allowInCi on S3 state', s3({ allowInCi: true }), 'backend: unknown field "allowInCi": remove or correct the spelling'],
    [
      'allowInCi that is no boolean',
      { type: 'local', allowInCi: 'yes' },
      'backend.allowInCi: expected true or false, received the string "yes"',
    ],
    [
      'state kept in a migrated bucket',
      s3({ bucket: 'data-bucket' }),
      "backend.bucket: 'data-bucket' is also buckets[0], a bucket this stack migrates: its policy would refuse Terraform's state writes and its state would depend on the key the stack manages; keep state in a bucket of its own",
    ],
  ];

  it.each(cases)('refuses %s, saying exactly why', (_name, backend, message) => {
    expect(problemsOf(withBackend(backend))).toEqual([message]);
  });

  it('refuses two stacks on one state object, naming both', () => {
    const shared = { type: 's3', bucket: STATE_BUCKET, key: 'kms-migration/prod/terraform.tfstate' };
    const errors = sharedStateProblems([
      parseConfig('prod', withBackend(shared)),
      parseConfig('dev', rawConfig()),
      parseConfig('staging', withBackend(shared)),
    ]);
    expect(errors.map((e) => [e.stackName, e.problems])).toEqual([
      [
        'staging',
        [
          `backend.key: state at s3://${STATE_BUCKET}/kms-migration/prod/terraform.tfstate is also the state of stack 'prod': two stacks on one state object each plan to destroy what only the other declares; give each its own key (leave "key" out for kms-migration/staging/terraform.tfstate)`,
        ],
      ],
    ]);
  });

  it('lets stacks share a state bucket under their own keys', () => {
    const backend = { type: 's3', bucket: STATE_BUCKET };
    expect(sharedStateProblems([parseConfig('prod', withBackend(backend)), parseConfig('staging', withBackend(backend))])).toEqual([]);
  });
});

describe('local state in CI', () => {
  it.each<[string | undefined, boolean]>([
    [undefined, false],
    ['', false],
    ['0', false],
    ['false', false],
    ['FALSE', false],
    ['1', true],
    ['true', true],
    ['woodpecker', true],
  ])('reads CI=%p as %p', (ci, expected) => {
    expect(runsInCi(ci === undefined ? {} : { CI: ci })).toBe(expected);
  });

  it('refuses a stack with local state, naming the setting that allows it', () => {
    const dev = parseConfig('dev', rawConfig());
    let error: unknown;
    try {
      refuseLocalStateInCi(dev, { CI: '1' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(
      /^Configuration of stack 'dev' has 1 problem:\n {2}- backend: the state of stack 'dev' is a local file, and CI is set \(CI="1"\)/,
    );
    expect((error as ConfigError).message).toContain('set "backend": { "type": "local", "allowInCi": true } in dev.json');
    expect((error as ConfigError).message).toContain('"backend": { "type": "s3", "bucket": "<state bucket>" }');
  });

  it('builds a stack with local state in CI when allowInCi says that is intended', () => {
    expect(() =>
      refuseLocalStateInCi(parseConfig('dev', rawConfig({ backend: { type: 'local', allowInCi: true } })), { CI: '1' }),
    ).not.toThrow();
  });

  it('builds a stack with S3 state in CI', () => {
    expect(() =>
      refuseLocalStateInCi(parseConfig('prod', rawConfig({ backend: { type: 's3', bucket: 'acme-terraform-state' } })), { CI: '1' }),
    ).not.toThrow();
  });

  it('builds a stack with local state outside CI', () => {
    expect(() => refuseLocalStateInCi(parseConfig('dev', rawConfig()), {})).not.toThrow();
    expect(() => refuseLocalStateInCi(parseConfig('dev', rawConfig()), { CI: 'false' })).not.toThrow();
  });
});
