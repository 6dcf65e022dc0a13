// Reading a stack's config: the file, repeated keys, the schema, the rules across fields, every
// default resolved.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { duplicateKeys } from '../json-duplicate-keys';
import { resolveBackend } from './backend';
import { crossFieldProblems } from './checks';
import { ConfigError, describeIssue, fieldPath } from './messages';
import { stackNameProblem } from './names';
import { configSchema, type MigrationConfig } from './schema';

/** Validates raw config; throws ConfigError listing every problem at once. */
export function parseConfig(stackName: string, raw: unknown): MigrationConfig {
  const badName = stackNameProblem(stackName);
  if (badName !== undefined) throw new ConfigError(stackName, [badName]);
  // reportInput: without it zod leaves issue.input out, and every wrong type would read "is required".
  const result = configSchema.safeParse(raw, { reportInput: true });
  if (!result.success) {
    throw new ConfigError(stackName, result.error.issues.flatMap(describeIssue), { cause: result.error });
  }
  const problems = crossFieldProblems(result.data);
  if (problems.length > 0) throw new ConfigError(stackName, problems);
  const parsed = result.data;
  return {
    ...parsed,
    stackName,
    buckets: parsed.buckets.map((b) => ({ ...b, versioning: b.versioning ?? parsed.versioning })),
    backend: resolveBackend(parsed.backend, stackName, parsed.region),
  };
}

/**
 * Keys a config file repeats in one object. JSON.parse keeps the last silently, so a setting
 * written twice would take whichever came last, unseen; each repetition is a problem instead.
 */
function duplicateKeyProblems(file: string, text: string): string[] {
  return duplicateKeys(text).map(
    (d) =>
      `${file}: duplicate key ${JSON.stringify(d.key)} at ${fieldPath(d.path) || 'the top level'}, line ${d.line} (first on line ${d.firstLine}): JSON keeps only the last value; keep one`,
  );
}

/** Reads and validates `<dir>/<stack>.json`; repeated keys are reported with the schema's problems. */
export function loadConfig(stackName: string, dir: string = defaultEnvironmentsDir()): MigrationConfig {
  const file = stackConfigFile(stackName, dir);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (cause) {
    const known = listStacks(dir);
    throw new ConfigError(
      stackName,
      [`no config file ${file}: known stacks are ${known.join(', ') || '(none)'}; create ${stackName}.json there`],
      { cause },
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new ConfigError(stackName, [`${file} is not valid JSON: ${(cause as Error).message}`], { cause });
  }
  const duplicates = duplicateKeyProblems(file, text);
  let config: MigrationConfig;
  try {
    config = parseConfig(stackName, raw);
  } catch (error) {
    if (error instanceof ConfigError && duplicates.length > 0) {
      throw new ConfigError(stackName, [...duplicates, ...error.problems], { cause: error });
    }
    throw error;
  }
  if (duplicates.length > 0) throw new ConfigError(stackName, duplicates);
  return config;
}

/** Stack names are the config file names in the environments folder. */
export function listStacks(dir: string = defaultEnvironmentsDir()): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

export function defaultEnvironmentsDir(): string {
  return path.join(__dirname, '..', 'environments');
}

/** The folder of the stack configs: KMS_MIGRATION_CONFIG_DIR when a team keeps them elsewhere, else stacks/environments. */
export function environmentsDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.KMS_MIGRATION_CONFIG_DIR || defaultEnvironmentsDir();
}

/** A stack's config file: the file name is the stack name. */
export function stackConfigFile(stackName: string, dir: string = environmentsDir()): string {
  return path.join(dir, `${stackName}.json`);
}
