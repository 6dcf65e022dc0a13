// Reads the stack outputs the runner works from: a `cdktf deploy --outputs-file` file, a
// `terraform output -json` file, or `terraform output -json` run in cdktf.out/stacks/<stack>.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  OUTPUT_NAMES,
  StackOutputs,
  environmentsDir,
  listStacks,
  stackConfigFile,
  stackOutputsSchema,
  type BucketOutput,
} from '../stacks/outputs';
import type { ClassifyOptions } from './core/classify';
import { partitionTime } from './core/plan-query';
import { OutputsError } from './errors';

export interface OutputsSource {
  readonly stack: string;
  /** File written by `cdktf deploy --outputs-file` or `terraform output -json`. */
  readonly outputsFile?: string;
  /** Project root holding cdktf.out; defaults to the working directory. */
  readonly projectDir?: string;
  /** Folder of the stack configs; defaults to KMS_MIGRATION_CONFIG_DIR or stacks/environments. */
  readonly environmentsDir?: string;
}

/** The README section a user without a stack config starts from. */
export const QUICK_START = 'README.md, "Migrate your own account"';

/**
 * How to get outputs for a stack that has none: deploy it, or, when no config file names it (a typo,
 * or a stack never set up), create that file first. A stack of the plain Terraform module has no
 * config file here; its outputs come from `terraform output -json`, which --outputs-file reads.
 */
export function deployAdvice(stack: string, dir: string = environmentsDir(), outputsFile = 'outputs.json'): string {
  const deploy = `\`npx cdktf deploy ${stack} --outputs-file ${outputsFile}\``;
  const configFile = stackConfigFile(stack, dir);
  if (fs.existsSync(configFile)) return `deploy it with ${deploy}`;
  const known = listStacks(dir);
  return (
    `there is no stack '${stack}': no config file ${configFile} ` +
    `(stacks with a config: ${known.length ? known.join(', ') : 'none'}). ` +
    `Check --stack, or create ${configFile} as ${QUICK_START} shows and ${deploy}; ` +
    `with the plain Terraform module, pass --outputs-file with \`terraform output -json\``
  );
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// `terraform output -json` wraps every value as { value, type, sensitive }.
function isTerraformOutputJson(doc: Json): boolean {
  const entries = Object.values(doc);
  return entries.length > 0 && entries.every((e) => isObject(e) && 'value' in e && 'type' in e);
}

function unwrapTerraformOutputs(doc: Json): Json {
  return Object.fromEntries(Object.entries(doc).map(([name, entry]) => [name, (entry as Json).value]));
}

/** Picks this stack's outputs out of any of the accepted file shapes. */
export function outputsForStack(doc: unknown, stack: string, origin: string, configDir: string = environmentsDir()): Json {
  if (!isObject(doc)) throw new OutputsError(`${origin} is not a JSON object of outputs`);
  if (Object.keys(doc).length === 0) {
    throw new OutputsError(
      `${origin} has no outputs for stack '${stack}': was it deployed? Run \`npx cdktf deploy ${stack} --outputs-file outputs.json\``,
    );
  }
  if (isTerraformOutputJson(doc)) return unwrapTerraformOutputs(doc);
  if (isObject(doc[stack])) return doc[stack];
  if ('kms_key_arn' in doc || 'buckets' in doc) return doc;
  const stacks = Object.keys(doc).filter((k) => isObject(doc[k]));
  throw new OutputsError(
    `${origin} has no outputs for stack '${stack}'` +
      (stacks.length ? ` (it has: ${stacks.join(', ')})` : '') +
      `: ${deployAdvice(stack, configDir, origin)}`,
  );
}

/** Checks the outputs against the shared contract, naming each missing or malformed field. */
export function validateOutputs(raw: Json, stack: string, origin: string): StackOutputs {
  const missing = OUTPUT_NAMES.filter((name) => !(name in raw));
  if (missing.length === OUTPUT_NAMES.length) {
    throw new OutputsError(`${origin} has no outputs for stack '${stack}': was it deployed? Run \`npx cdktf deploy ${stack}\``);
  }
  if (missing.length > 0) {
    throw new OutputsError(
      `${origin} lacks output${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of stack '${stack}': ` +
        `it was deployed by an older version of the stack; run \`npx cdktf deploy ${stack}\` again`,
    );
  }
  const known = new Set<string>(OUTPUT_NAMES);
  const parsed = stackOutputsSchema.safeParse(Object.fromEntries(Object.entries(raw).filter(([k]) => known.has(k))));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new OutputsError(`${origin}: outputs of stack '${stack}' do not match the contract:\n  - ${problems.join('\n  - ')}`, {
      cause: parsed.error,
    });
  }
  if (parsed.data.stack !== stack) {
    throw new OutputsError(`${origin} holds the outputs of stack '${parsed.data.stack}', not '${stack}'`);
  }
  // The runner finds a bucket's entry by its name: an entry filed under another name would plan one
  // bucket twice and never the one its key names.
  const misfiled = Object.entries(parsed.data.buckets).filter(([key, entry]) => key !== entry.bucket);
  if (misfiled.length > 0) {
    throw new OutputsError(
      `${origin}: the buckets output of stack '${stack}' files entries under another name than their bucket field:\n` +
        misfiled.map(([key, entry]) => `  - buckets["${key}"].bucket is "${entry.bucket}"`).join('\n') +
        `\nEach entry is keyed by its own bucket name; these outputs were edited or written by another tool: deploy the stack again (\`npx cdktf deploy ${stack}\`)`,
    );
  }
  // A stack without buckets has nothing to migrate, verify or expire: saying "done" would be a pass over nothing.
  if (Object.keys(parsed.data.buckets).length === 0) {
    throw new OutputsError(
      `${origin}: the outputs of stack '${stack}' name no bucket (buckets is empty): list the buckets to migrate in its config and deploy it again`,
    );
  }
  return parsed.data;
}

function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (cause) {
    throw new OutputsError(`Cannot read outputs file ${file}: ${(cause as Error).message}`, { cause });
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new OutputsError(`Outputs file ${file} is not valid JSON: ${(cause as Error).message}`, { cause });
  }
}

function terraformOutputJson(stackDir: string, stack: string): unknown {
  try {
    const stdout = execFileSync('terraform', ['output', '-json', '-no-color'], {
      cwd: stackDir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return JSON.parse(stdout);
  } catch (cause) {
    // Terraform frames its messages in box-drawing lines; the line naming the error is the useful one.
    const lines = ((cause as { stderr?: string }).stderr ?? '')
      .split('\n')
      .map((l) => l.replace(/^[│╷╵\s]+/, '').trim())
      .filter(Boolean);
    const reason = lines.find((l) => l.startsWith('Error:')) ?? lines[lines.length - 1];
    throw new OutputsError(
      `\`terraform output -json\` failed in ${stackDir}${reason ? ` (${reason})` : ''}: ` +
        `deploy the stack (\`npx cdktf deploy ${stack}\`) or pass --outputs-file`,
      { cause },
    );
  }
}

/** The validated outputs of one stack, from the file if given, else from its Terraform state. */
export function readStackOutputs(source: OutputsSource): StackOutputs {
  if (source.outputsFile) {
    const origin = source.outputsFile;
    return validateOutputs(outputsForStack(readJsonFile(origin), source.stack, origin, source.environmentsDir), source.stack, origin);
  }
  const projectDir = source.projectDir ?? process.cwd();
  const stackDir = path.join(projectDir, 'cdktf.out', 'stacks', source.stack);
  if (!fs.existsSync(stackDir)) {
    const stacksDir = path.join(projectDir, 'cdktf.out', 'stacks');
    const known = fs.existsSync(stacksDir) ? fs.readdirSync(stacksDir) : [];
    const advice = deployAdvice(source.stack, source.environmentsDir ?? environmentsDir());
    throw new OutputsError(
      `Unknown stack '${source.stack}': no ${stackDir}` +
        (known.length ? ` (synthesized stacks: ${known.join(', ')})` : '') +
        `; ${advice}` +
        (advice.startsWith('deploy') ? ' and pass --outputs-file outputs.json' : ''),
    );
  }
  const origin = `terraform output in ${stackDir}`;
  return validateOutputs(outputsForStack(terraformOutputJson(stackDir, source.stack), source.stack, origin), source.stack, origin);
}

/**
 * The classification of an inventory's versions: Object Lock retention is judged at the moment of the
 * report's snapshot, so that the plan, its manifests and a resumed pass see the same versions (a
 * rerun's UNLOAD must be the same query, and a checkpoint counts rows). A retention that ended after
 * the snapshot only makes a version copied instead of re-wrapped: both re-encrypt it.
 */
export function inventoryClassifyOptions(bucket: BucketOutput, dt: string): ClassifyOptions {
  return classifyOptions(bucket, new Date(partitionTime(dt)));
}

/** What a bucket's outputs change in the classification of its versions. */
export function classifyOptions(bucket: BucketOutput, now?: Date): ClassifyOptions {
  return { migrateDsseKms: bucket.migrate_dsse_kms, inventoryFormat: bucket.inventory_format, ...(now ? { now } : {}) };
}
