// Reading stack outputs: every accepted file shape, and a clear error naming what to run for each bad case.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OutputsError } from '../../runner/errors';
import { readStackOutputs } from '../../runner/stack-outputs';
import { stackOutputs } from './builders';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outputs-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function writeJson(name: string, value: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify(value));
  return file;
}

function errorOf(fn: () => unknown): OutputsError {
  try {
    fn();
  } catch (error) {
    if (error instanceof OutputsError) return error;
    throw error;
  }
  throw new Error('no error');
}

/** Outputs as `terraform output -json` writes them: each value wrapped with its type. */
function terraformOutputJson(outputs: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, { value: v, type: 'string', sensitive: false }]));
}

describe('readStackOutputs', () => {
  it('reads a cdktf deploy --outputs-file file', () => {
    const file = writeJson('outputs.json', { prod: stackOutputs(), dev: stackOutputs({ stack: 'dev' }) });
    expect(readStackOutputs({ stack: 'prod', outputsFile: file })).toEqual(stackOutputs());
  });

  it('reads a terraform output -json file, as made from the HCL modules', () => {
    const file = writeJson('tf.json', terraformOutputJson(stackOutputs()));
    expect(readStackOutputs({ stack: 'prod', outputsFile: file }).kms_key_arn).toBe(stackOutputs().kms_key_arn);
  });

  it('names the stacks a file does have when it lacks the one asked for', () => {
    const file = writeJson('outputs.json', { dev: stackOutputs({ stack: 'dev' }) });
    expect(errorOf(() => readStackOutputs({ stack: 'prod', outputsFile: file })).message).toMatch(
      /has no outputs for stack 'prod' \(it has: dev\): deploy it with `npx cdktf deploy prod --outputs-file/,
    );
  });

  it('names every missing output and what to run', () => {
    const { kms_key_arn: _k, athena_workgroup: _a, ...partial } = stackOutputs();
    const file = writeJson('outputs.json', { prod: partial });
    const error = errorOf(() => readStackOutputs({ stack: 'prod', outputsFile: file }));
    expect(error.message).toMatch(/lacks outputs kms_key_arn, athena_workgroup of stack 'prod'/);
    expect(error.message).toMatch(/npx cdktf deploy prod/);
    expect(error.exitCode).toBe(3);
  });

  it('names a malformed field', () => {
    const file = writeJson('outputs.json', { prod: stackOutputs({ account_id: '42' }) });
    expect(errorOf(() => readStackOutputs({ stack: 'prod', outputsFile: file })).message).toMatch(/account_id: /);
  });

  it('refuses outputs of another stack', () => {
    const file = writeJson('outputs.json', stackOutputs({ stack: 'dev' }));
    expect(errorOf(() => readStackOutputs({ stack: 'prod', outputsFile: file })).message).toMatch(
      /holds the outputs of stack 'dev', not 'prod'/,
    );
  });

  it.each([
    ['a cdktf outputs file, under the name asked for', { prod: stackOutputs({ stack: 'dev' }) }],
    ['a terraform output -json file', terraformOutputJson(stackOutputs({ stack: 'dev' }))],
  ])('refuses outputs of another stack in %s with exit 3, naming both stacks', (_shape, doc) => {
    const error = errorOf(() => readStackOutputs({ stack: 'prod', outputsFile: writeJson('outputs.json', doc) }));
    expect(error.message).toMatch(/holds the outputs of stack 'dev', not 'prod'/);
    expect(error.exitCode).toBe(3);
  });

  it('refuses a bucket entry filed under another name than its bucket field with exit 3, naming both', () => {
    const entry = stackOutputs().buckets['acme-data']!;
    const buckets = { 'acme-data': entry, 'acme-logs': { ...entry, bucket: 'acme-data' } };
    const error = errorOf(() =>
      readStackOutputs({ stack: 'prod', outputsFile: writeJson('outputs.json', { prod: stackOutputs({ buckets }) }) }),
    );
    expect(error.message).toContain('files entries under another name than their bucket field');
    expect(error.message).toContain('buckets["acme-logs"].bucket is "acme-data"');
    expect(error.message).not.toContain('buckets["acme-data"]');
    expect(error.exitCode).toBe(3);
  });

  it.each([
    [
      'glue_database',
      { glue_database: 'kms_migration_prod" ; DROP TABLE x; --' },
      'glue_database',
      'kms_migration_prod\\" ; DROP TABLE x; --',
    ],
    [
      'a glue_table',
      { buckets: { 'acme-data': { ...stackOutputs().buckets['acme-data']!, glue_table: 'inventory-acme-data' } } },
      'buckets.acme-data.glue_table',
      'inventory-acme-data',
    ],
  ])(
    'refuses SQL or any other character outside a Glue name in %s with exit 3, naming the field and the value',
    (_field, overrides, field, value) => {
      const error = errorOf(() =>
        readStackOutputs({ stack: 'prod', outputsFile: writeJson('outputs.json', { prod: stackOutputs(overrides) }) }),
      );
      expect(error.message).toContain(`${field}: must be a Glue name of lower-case letters, digits and underscores`);
      expect(error.message).toContain(`Received: "${value}"`);
      expect(error.exitCode).toBe(3);
    },
  );

  it('says a file is missing or not JSON', () => {
    expect(errorOf(() => readStackOutputs({ stack: 'prod', outputsFile: path.join(dir, 'nope.json') })).message).toMatch(
      /Cannot read outputs file/,
    );
    fs.writeFileSync(path.join(dir, 'bad.json'), '{');
    expect(errorOf(() => readStackOutputs({ stack: 'prod', outputsFile: path.join(dir, 'bad.json') })).message).toMatch(/not valid JSON/);
  });

  it('says an unknown stack was never synthesized, and lists the ones that were', () => {
    fs.mkdirSync(path.join(dir, 'cdktf.out', 'stacks', 'dev'), { recursive: true });
    expect(errorOf(() => readStackOutputs({ stack: 'prod', projectDir: dir })).message).toMatch(
      /Unknown stack 'prod': .*\(synthesized stacks: dev\); deploy it with `npx cdktf deploy prod --outputs-file outputs.json`/,
    );
  });

  it('says a stack without a config file has none, names the path and the stacks there are, and points to the quick start', () => {
    const configDir = path.join(dir, 'environments');
    fs.mkdirSync(configDir);
    fs.writeFileSync(path.join(configDir, 'dev.json'), '{}');
    fs.writeFileSync(path.join(configDir, 'prod.json'), '{}');
    const message = errorOf(() => readStackOutputs({ stack: 'nosuch', projectDir: dir, environmentsDir: configDir })).message;
    expect(message).toContain(
      `there is no stack 'nosuch': no config file ${path.join(configDir, 'nosuch.json')} (stacks with a config: dev, prod)`,
    );
    expect(message).toContain('README.md, "Migrate your own account"');
    expect(message).not.toMatch(/deploy it with|Deploy it with/);
  });

  it('says the same when an outputs file lacks a stack that has no config file', () => {
    const configDir = path.join(dir, 'environments');
    fs.mkdirSync(configDir);
    const file = writeJson('outputs.json', { dev: stackOutputs({ stack: 'dev' }) });
    const message = errorOf(() => readStackOutputs({ stack: 'nosuch', outputsFile: file, environmentsDir: configDir })).message;
    expect(message).toContain(`no config file ${path.join(configDir, 'nosuch.json')} (stacks with a config: none)`);
  });

  it('says a synthesized stack that was never deployed has no outputs', () => {
    fs.mkdirSync(path.join(dir, 'cdktf.out', 'stacks', 'prod'), { recursive: true });
    expect(errorOf(() => readStackOutputs({ stack: 'prod', projectDir: dir })).message).toMatch(
      /deploy the stack \(`npx cdktf deploy prod`\) or pass --outputs-file|was it deployed/,
    );
  });
});
