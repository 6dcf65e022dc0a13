// Reads the s3-kms-migration module as data (HCL parsed by @cdktf/hcl2json) and evaluates its data files with the real terraform binary, offline.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from '@cdktf/hcl2json';
import type { MigrationConfig } from '../../stacks/config';

export const MODULES_DIR = path.join(__dirname, '..', '..', 'terraform-modules');
export const MODULE_DIR = path.join(MODULES_DIR, 's3-kms-migration');

/** One parsed .tf file: hcl2json's JSON (blocks become arrays of objects, expressions "${...}" strings). */
export type HclJson = Record<string, unknown>;

const parsedFolders = new Map<string, Promise<Map<string, HclJson>>>();

/**
 * Parses every .tf file of a folder (not its subfolders), keyed by file name. Memoised per folder
 * for the test process: hcl2json's WebAssembly parser takes ~80 ms a file, and files do not change
 * during a run (drift tests edit a fresh copy before its first parse).
 */
export function parseModuleFiles(dir: string = MODULE_DIR): Promise<Map<string, HclJson>> {
  if (!parsedFolders.has(dir)) parsedFolders.set(dir, parseFolder(dir));
  return parsedFolders.get(dir)!;
}

async function parseFolder(dir: string): Promise<Map<string, HclJson>> {
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.tf'))
    .sort();
  const parsed = new Map<string, HclJson>();
  for (const file of files) {
    parsed.set(file, await parse(file, fs.readFileSync(path.join(dir, file), 'utf8')));
  }
  return parsed;
}

/** Every `resource`/`data` block of the parsed files, as { kind, type, name, body }. */
export interface HclBlock {
  readonly kind: 'resource' | 'data';
  readonly type: string;
  readonly name: string;
  readonly body: Record<string, unknown>;
}

export function blocksOf(files: Map<string, HclJson>): HclBlock[] {
  const blocks: HclBlock[] = [];
  for (const json of files.values()) {
    for (const kind of ['resource', 'data'] as const) {
      const byType = (json[kind] ?? {}) as Record<string, Record<string, Record<string, unknown>[]>>;
      for (const [type, byName] of Object.entries(byType)) {
        for (const [name, bodies] of Object.entries(byName)) {
          for (const body of bodies) blocks.push({ kind, type, name, body });
        }
      }
    }
  }
  return blocks;
}

/** Module calls of the parsed files, by name. */
export function moduleCalls(files: Map<string, HclJson>): Map<string, Record<string, unknown>> {
  const calls = new Map<string, Record<string, unknown>>();
  for (const json of files.values()) {
    const byName = (json.module ?? {}) as Record<string, Record<string, unknown>[]>;
    for (const [name, bodies] of Object.entries(byName)) calls.set(name, bodies[0]!);
  }
  return calls;
}

/** The `terraform` binary, or a loud failure: a check that cannot run must never pass. */
export function terraformBinary(): string {
  const candidates = (process.env.PATH ?? '').split(path.delimiter).map((d) => path.join(d, 'terraform'));
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) {
    throw new Error(
      'terraform binary not found on PATH: these checks need Terraform >= 1.5 (the machine image ships 1.11). ' +
        'Install it (https://developer.hashicorp.com/terraform/install) instead of skipping the test.',
    );
  }
  return found;
}

export interface TerraformRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs terraform without prompts, colour or telemetry; returns status and output instead of throwing. */
export function runTerraform(args: readonly string[], cwd: string): TerraformRun {
  try {
    const stdout = execFileSync(terraformBinary(), [...args], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1', TF_INPUT: '0' },
    });
    return { status: 0, stdout, stderr: '' };
  } catch (error) {
    const e = error as { status?: number; stdout?: string; stderr?: string; code?: string };
    if (e.status === undefined || e.status === null) throw error;
    return { status: e.status, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** The module's input variables for a stack config: the same environment, in the module's names. */
export function moduleInputs(config: MigrationConfig): Record<string, unknown> {
  return {
    stack: config.stackName,
    region: config.region,
    account_id: config.accountId,
    kms_key_alias: config.key.alias,
    kms_key_administrators: config.key.administrators,
    kms_key_users: config.key.users,
    kms_key_deletion_window_days: config.key.deletionWindowDays,
    buckets: config.buckets.map((b) => ({
      name: b.name,
      prefix: b.prefix ?? null,
      // The stack renders a literal document with JSON.stringify; the module takes that text.
      existing_policy: typeof b.existingPolicy === 'string' ? b.existingPolicy : JSON.stringify(b.existingPolicy.document),
      versioning: b.versioning,
      uses_acls: b.usesAcls,
      object_lock: b.objectLock,
      dsse_kms: { migrate: b.dsseKms.migrate, source_key_arns: b.dsseKms.sourceKeyArns },
      accept_remaining: b.acceptRemaining,
      readers: b.readers,
      cloudfront_distributions: b.cloudfrontDistributions,
      accept_losing_access: b.acceptLosingAccess,
      log_delivery: b.logDelivery,
      replication_roles: b.replicationRoles,
      accept_events: b.acceptEvents,
    })),
    versioning: config.versioning,
    inventory_frequency: config.inventory.frequency,
    inventory_format: config.inventory.format,
    inventory_retention_days: config.inventory.retentionDays,
    noncurrent_version_expiration_days: config.migration.noncurrentVersionExpirationDays,
    newer_noncurrent_versions: config.migration.newerNoncurrentVersions ?? null,
    deny_unencrypted_uploads: config.migration.denyUnencryptedUploads,
    encryption_policy_mode: config.encryptionPolicy.mode,
    reports_retention_days: config.reports.retentionDays,
    athena_results_retention_days: config.reports.athenaResultsRetentionDays,
    athena_bytes_scanned_cutoff_per_query: config.athena.bytesScannedCutoffPerQuery,
    alarm_enabled: config.alarm.enabled,
    alarm_emails: config.alarm.emails,
    compliance_aws_config_rule: config.compliance.awsConfigRule,
    tags: config.tags,
  };
}

/** The locals a parity test reads after evaluation. */
export const EVALUATED_LOCALS = [
  'key_policy_statements',
  'migrated_bucket_policy_statements',
  'own_bucket_policy_statements',
  'batch_operations_trust_statements',
  'batch_operations_permission_statements',
  'key_alarm_topic_statements',
  'inventory_optional_fields',
  'inventory_columns',
  'inventory_storage',
  'inventory_table_parameters',
  'inventory_config_id',
  'inventory_destination_prefix',
  'own_bucket_lifecycle_rules',
  'key_alarm_event_pattern',
  'bucket_outputs',
  'compliance_rules',
  'migrated_buckets',
  'dsse_kms_source_keys_outside_region',
  'shared_granting_sid_fragments',
  'names',
  'reports_layout',
] as const;
export type EvaluatedLocals = Record<(typeof EVALUATED_LOCALS)[number], unknown>;

/**
 * The module's reference map (references.tf) as the text the CDKTF stack would write for the same
 * attribute, e.g. refs.kms_key_arn -> "${aws_kms_key.this.arn}". `one(x[*].a)` reads as `x[0].a`.
 */
export async function referenceStandIns(dir: string = MODULE_DIR): Promise<Record<string, string>> {
  const json = (await parseModuleFiles(dir)).get('references.tf')!;
  const refs = ((json.locals as Record<string, unknown>[])[0]!.refs ?? {}) as Record<string, string>;
  return Object.fromEntries(Object.entries(refs).map(([k, v]) => [k, v.replace(/^\$\{one\((.+)\[\*\]\.(\w+)\)\}$/, '$${$1[0].$2}')]));
}

/**
 * Evaluates the module's data files (every file holding only `locals`, plus variables.tf) with
 * terraform, for the given inputs: `references.tf` is replaced by stand-ins, so no provider is
 * needed and `terraform apply` of outputs alone runs offline. Validation blocks run too.
 */
export async function evaluateModuleData(
  inputs: Record<string, unknown>,
  dir: string = MODULE_DIR,
): Promise<{ locals: EvaluatedLocals } | { error: string }> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kms-module-eval-'));
  try {
    const files = await parseModuleFiles(dir);
    for (const [file, json] of files) {
      const onlyLocals = Object.keys(json).every((k) => k === 'locals');
      if (file === 'variables.tf' || (onlyLocals && file !== 'references.tf')) {
        fs.copyFileSync(path.join(dir, file), path.join(work, file));
      }
    }
    // Terraform JSON syntax: "$${" is a literal "${", so the stand-ins stay text.
    const standIns = Object.fromEntries(Object.entries(await referenceStandIns(dir)).map(([k, v]) => [k, v.split('${').join('$${')]));
    const outputs = Object.fromEntries(EVALUATED_LOCALS.map((name) => [name, { value: `\${local.${name}}` }]));
    fs.writeFileSync(path.join(work, 'stand-ins.tf.json'), JSON.stringify({ locals: { refs: standIns }, output: outputs }));
    fs.writeFileSync(path.join(work, 'inputs.auto.tfvars.json'), JSON.stringify(inputs));
    for (const args of [
      ['init', '-input=false', '-no-color'],
      ['apply', '-auto-approve', '-input=false', '-no-color', '-lock=false'],
    ]) {
      const run = runTerraform(args, work);
      if (run.status !== 0) return { error: `terraform ${args[0]} failed:\n${run.stderr}${run.stdout}` };
    }
    const shown = runTerraform(['output', '-json', '-no-color'], work);
    if (shown.status !== 0) return { error: `terraform output failed:\n${shown.stderr}` };
    const values = JSON.parse(shown.stdout) as Record<string, { value: unknown }>;
    const locals = Object.fromEntries(EVALUATED_LOCALS.map((n) => [n, values[n]?.value])) as EvaluatedLocals;
    return { locals };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Copies the module into a temp folder (for drift tests that edit a copy), returns its path. */
export function copyModule(): string {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kms-module-copy-'));
  fs.cpSync(MODULE_DIR, work, { recursive: true });
  return work;
}
