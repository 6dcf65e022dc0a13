// The config loader: shipped environments load, and every kind of bad config is refused with a message naming the field and fix.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, listStacks, loadConfig, parseConfig } from '../../stacks/config';
import { ACCOUNT, rawConfig } from './builders';

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
