// The config loader: shipped environments load, and every kind of bad config is refused with a message naming the field and fix.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, listStacks, loadConfig, parseConfig } from '../../stacks/config';
import { ACCOUNT, DSSE_KEY, DSSE_MRK, rawConfig } from './builders';

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
    ['duplicate bucket', { buckets: [{ name: 'same-bucket' }, { name: 'same-bucket' }] }, /buckets\[1\]\.name: duplicate bucket 'same-bucket' \(also buckets\[0\]\)/],
    ['bad alias', { key: { alias: 'my-key', users: [`arn:aws:iam::${ACCOUNT}:role/r`] } }, /key\.alias: bad alias "my-key": it must start with "alias\/"/],
    ['reserved alias', { key: { alias: 'alias/aws/s3', users: [`arn:aws:iam::${ACCOUNT}:role/r`] } }, /key\.alias: bad alias "alias\/aws\/s3"/],
    ['unknown region', { region: 'eu-middle-9' }, /region: unknown region "eu-middle-9": use one of/],
    ['unknown format', { inventory: { format: 'JSON' } }, /inventory\.format: unknown format "JSON": use "CSV", "Parquet" or "ORC"/],
    ['unknown frequency', { inventory: { frequency: 'Hourly' } }, /inventory\.frequency: unknown frequency "Hourly"/],
    ['negative days', { migration: { noncurrentVersionExpirationDays: -5 } }, /migration\.noncurrentVersionExpirationDays: must be at least 1 day .* Received: -5/],
    ['empty bucket list', { buckets: [] }, /buckets: is empty: list at least one existing bucket/],
    ['malformed ARN', { key: { alias: 'alias/a', users: ['arn:aws:iam::12:role/x'] } }, /key\.users\[0\]: malformed IAM ARN "arn:aws:iam::12:role\/x"/],
    ['bad bucket name', { buckets: [{ name: 'Bad_Bucket' }] }, /buckets\[0\]\.name: "Bad_Bucket" is not a valid S3 bucket name/],
    ['bad account id', { accountId: '1234' }, /accountId: must be a 12-digit AWS account id\. Received: "1234"/],
    ['unknown field', { bucketz: [] }, /unknown field "bucketz": remove or correct the spelling/],
    ['deletion window out of range', { key: { alias: 'alias/a', users: [`arn:aws:iam::${ACCOUNT}:role/r`], deletionWindowDays: 3 } }, /key\.deletionWindowDays: must be between 7 and 30 days\. Received: 3/],
    ['bad existing policy', { buckets: [{ name: 'a-bucket', existingPolicy: 'maybe' }] }, /buckets\[0\]\.existingPolicy: must be "read"/],
    ['leading slash prefix', { buckets: [{ name: 'a-bucket', prefix: '/logs' }] }, /buckets\[0\]\.prefix: must not start with "\/"/],
    ['no key users', { key: { alias: 'alias/a' } }, /key\.users: is empty: name at least the role that runs the migration runner/],
    ['principal of another account', { key: { alias: 'alias/a', users: ['arn:aws:iam::999999999999:role/r'] } }, /principal arn:aws:iam::999999999999:role\/r is not in account 123456789012/],
    ['two buckets, one Glue table', { buckets: [{ name: 'a-b.c' }, { name: 'a.b-c' }] }, /'a-b\.c' and 'a\.b-c' map to the same Glue table/],
    ['missing region', { region: undefined }, /region: is required/],
    ['a wrong type, which is not a missing field', { versioning: 'yes' }, /^versioning: must be true or false$/m],
    ['Athena cutoff under the minimum', { athena: { bytesScannedCutoffPerQuery: 1000 } }, /athena\.bytesScannedCutoffPerQuery: must be at least 10485760/],
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

describe('DSSE-KMS migration and accepted exceptions', () => {
  const withBucket = (bucket: Record<string, unknown>) => rawConfig({ buckets: [{ name: 'data-bucket', ...bucket }] });

  it.each<[string, Record<string, unknown>]>([
    ['migrating under the stack key only', { dsseKms: { migrate: true } }],
    ['migrating from listed keys, a multi-Region one included', { dsseKms: { migrate: true, sourceKeyArns: [DSSE_KEY, DSSE_MRK] } }],
    ['a source key of another account', { dsseKms: { migrate: true, sourceKeyArns: ['arn:aws:kms:eu-west-1:999999999999:key/0a1b2c3d-4e5f-4071-8293-a4b5c6d7e8f9'] } }],
    ['accepting both classes while not migrating', { acceptRemaining: ['SSE-C', 'DSSE-KMS'] }],
    ['accepting SSE-C while migrating DSSE-KMS', { dsseKms: { migrate: true }, acceptRemaining: ['SSE-C'] }],
  ])('accepts %s', (_name, bucket) => {
    const cfg = parseConfig('test', withBucket(bucket));
    expect(cfg.buckets[0]).toMatchObject(bucket);
  });

  const otherRegionKey = `arn:aws:kms:us-east-1:${ACCOUNT}:key/0a1b2c3d-4e5f-4071-8293-a4b5c6d7e8f9`;
  const cases: [string, Record<string, unknown>, string][] = [
    ['dsseKms that is no object', { dsseKms: true }, 'buckets[0].dsseKms: must be { "migrate": true, "sourceKeyArns": ["arn:aws:kms:..."] } or left out. Received: true'],
    ['migrate that is no boolean', { dsseKms: { migrate: 'yes' } }, 'buckets[0].dsseKms.migrate: must be true or false. Received: "yes"'],
    ['a misspelt dsseKms field', { dsseKms: { migrate: true, keys: [] } }, 'buckets[0].dsseKms: unknown field "keys": remove or correct the spelling'],
    [
      'sourceKeyArns that is no list',
      { dsseKms: { migrate: true, sourceKeyArns: DSSE_KEY } },
      `buckets[0].dsseKms.sourceKeyArns: must be a list of KMS key ARNs, e.g. ["arn:aws:kms:eu-west-1:111122223333:key/<key id>"]. Received: "${DSSE_KEY}"`,
    ],
    ['a source key that is no string', { dsseKms: { migrate: true, sourceKeyArns: [42] } }, 'buckets[0].dsseKms.sourceKeyArns[0]: must be a KMS key ARN string. Received: 42'],
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
      'buckets[0].acceptRemaining: must be a list of "SSE-C" and/or "DSSE-KMS". Received: "SSE-C"',
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
});
