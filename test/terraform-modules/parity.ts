// Pure comparison of the CDKTF stack's synthesized JSON with the module's evaluated data: normalisers and differs that name every drift.
import { isDeepStrictEqual } from 'node:util';
import type { SynthesizedStack } from '../stacks/builders';

/**
 * Stack resources whose attributes the module reads through `local.refs`, and the module address
 * holding the same resource. A stack reference "${aws_kms_key.MigrationKey_2857B45E.arn}" reads
 * as the module's "${aws_kms_key.this.arn}".
 */
const STACK_TO_MODULE_ADDRESS: ReadonlyArray<readonly [RegExp, string]> = [
  [/aws_kms_key\.MigrationKey_[0-9A-F]+/g, 'aws_kms_key.this'],
  [/aws_s3_bucket\.InventoryBucket_[0-9A-F]+/g, 'aws_s3_bucket.own["inventory"]'],
  [/aws_s3_bucket\.ReportsBucket_[0-9A-F]+/g, 'aws_s3_bucket.own["reports"]'],
  [/aws_sns_topic\.KeyAlarm_Topic_[0-9A-F]+/g, 'aws_sns_topic.this[0]'],
  [/aws_iam_role\.BatchOperationsRole_[0-9A-F]+/g, 'aws_iam_role.this'],
];

/** Rewrites every stack reference inside any value into the module's address for it. */
export function normaliseStackReferences<T>(value: T): T {
  if (typeof value === 'string') {
    return STACK_TO_MODULE_ADDRESS.reduce<string>((s, [pattern, address]) => s.replace(pattern, address), value) as T;
  }
  if (Array.isArray(value)) return (value as unknown[]).map((v) => normaliseStackReferences(v)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== '//')
        .map(([k, v]) => [k, normaliseStackReferences(v)]),
    ) as T;
  }
  return value;
}

/** A policy statement reduced to what decides access; order-insensitive where IAM is. */
export interface ComparableStatement {
  readonly sid: string;
  readonly effect: string;
  readonly actions: string[];
  readonly resources: string[] | null;
  readonly principals: { type: string; identifiers: string[] }[];
  readonly conditions: { test: string; variable: string; values: string[] }[];
}

type RawStatement = Record<string, unknown>;
const sorted = (xs: unknown): string[] => [...((xs as string[] | undefined) ?? [])].sort();

/** Stack statements spell conditions `condition`; module data spells them `conditions`. */
export function comparableStatement(raw: RawStatement): ComparableStatement {
  const principals = ((raw.principals as { type: string; identifiers: string[] }[] | undefined) ?? [])
    .map((p) => ({ type: p.type, identifiers: sorted(p.identifiers) }))
    .sort((a, b) => a.type.localeCompare(b.type));
  const conditions = (((raw.conditions ?? raw.condition) as { test: string; variable: string; values: string[] }[] | undefined) ?? [])
    .map((c) => ({ test: c.test, variable: c.variable, values: sorted(c.values) }))
    .sort((a, b) => `${a.test}/${a.variable}`.localeCompare(`${b.test}/${b.variable}`));
  return {
    sid: raw.sid as string,
    effect: (raw.effect as string | undefined) ?? 'Allow',
    actions: sorted(raw.actions),
    resources: raw.resources === undefined || raw.resources === null ? null : sorted(raw.resources),
    principals,
    conditions,
  };
}

/** Differences between two policies, matched by sid; [] when they grant and deny the same. */
export function diffStatements(where: string, stack: RawStatement[], module: RawStatement[]): string[] {
  const bySid = (xs: RawStatement[]) => new Map(xs.map((s) => [s.sid as string, comparableStatement(s)]));
  const a = bySid(stack);
  const b = bySid(module);
  const problems: string[] = [];
  for (const [sid, statement] of a) {
    const other = b.get(sid);
    if (!other) problems.push(`${where}: statement ${sid} is in the stack, not in the module`);
    else if (!isDeepStrictEqual(statement, other)) {
      problems.push(`${where}: statement ${sid} differs:\n  stack  ${JSON.stringify(statement)}\n  module ${JSON.stringify(other)}`);
    }
  }
  for (const sid of b.keys()) if (!a.has(sid)) problems.push(`${where}: statement ${sid} is in the module, not in the stack`);
  return problems;
}

/** Differences between two plain values, or [] when deeply equal. */
export function diffValues(where: string, stack: unknown, module: unknown): string[] {
  return isDeepStrictEqual(stack, module)
    ? []
    : [`${where} differs:\n  stack  ${JSON.stringify(stack)}\n  module ${JSON.stringify(module)}`];
}

/** The construct path of a logical id: "Bucket-logs_Policy_Document_46BD5C84" -> "Bucket-logs/Policy/Document". */
function constructPath(logicalId: string): string {
  // Bucket names have no "_", so "_" only separates construct ids.
  return logicalId
    .replace(/_[0-9A-F]{8}$/, '')
    .split('_')
    .join('/');
}

/** A stack's policy documents, keyed by the construct path below the stack (e.g. "MigrationKey/Policy"). */
export function stackPolicyDocuments(stack: SynthesizedStack): Map<string, { statements: RawStatement[]; sources?: string[] }> {
  const documents = new Map<string, { statements: RawStatement[]; sources?: string[] }>();
  for (const [id, doc] of Object.entries(stack.data.aws_iam_policy_document ?? {})) {
    documents.set(constructPath(id), {
      statements: normaliseStackReferences(doc.statement as RawStatement[]),
      sources: doc.source_policy_documents as string[] | undefined,
    });
  }
  return documents;
}

/** Every resource of one type in the stack, by construct path, references normalised. */
export function stackResources(stack: SynthesizedStack, type: string): Map<string, Record<string, unknown>> {
  const found = new Map<string, Record<string, unknown>>();
  for (const [id, body] of Object.entries(stack.resource[type] ?? {})) {
    found.set(constructPath(id), normaliseStackReferences(body));
  }
  return found;
}

/** Follows a dotted path through blocks; single-element block lists (both JSON forms) unwrap. */
export function valueAt(body: unknown, dotted: string): unknown {
  let current: unknown = body;
  for (const key of dotted.split('.')) {
    while (Array.isArray(current) && current.length === 1) current = current[0];
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  while (Array.isArray(current) && current.length === 1 && typeof current[0] === 'object') current = current[0];
  return current;
}

/**
 * Security-relevant arguments whose values are constants or references (not inputs): for each
 * resource type, the set of distinct values in the stack must equal the set in the module.
 */
export const STATIC_ARGUMENTS: Readonly<Record<string, readonly string[]>> = {
  aws_kms_key: ['enable_key_rotation', 'key_usage', 'customer_master_key_spec', 'description'],
  aws_s3_bucket_server_side_encryption_configuration: [
    'rule.apply_server_side_encryption_by_default.sse_algorithm',
    'rule.apply_server_side_encryption_by_default.kms_master_key_id',
    'rule.bucket_key_enabled',
  ],
  aws_s3_bucket_versioning: ['versioning_configuration.status'],
  aws_s3_bucket_inventory: [
    'enabled',
    'name',
    'included_object_versions',
    'optional_fields',
    'destination.bucket.bucket_arn',
    'destination.bucket.prefix',
    'destination.bucket.encryption.sse_kms.key_id',
  ],
  aws_s3_bucket: ['force_destroy'],
  aws_s3_bucket_public_access_block: ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'],
  aws_s3_bucket_ownership_controls: ['rule.object_ownership'],
  aws_glue_catalog_table: [
    'table_type',
    'parameters',
    'partition_keys',
    'storage_descriptor.input_format',
    'storage_descriptor.output_format',
    'storage_descriptor.ser_de_info.serialization_library',
  ],
  aws_athena_workgroup: [
    'configuration.result_configuration.output_location',
    'configuration.enforce_workgroup_configuration',
    'configuration.publish_cloudwatch_metrics_enabled',
    'configuration.result_configuration.encryption_configuration.encryption_option',
    'configuration.result_configuration.encryption_configuration.kms_key_arn',
  ],
  aws_iam_role: ['max_session_duration', 'description'],
  aws_sns_topic: ['kms_master_key_id'],
  aws_sns_topic_subscription: ['protocol'],
};

/**
 * A module argument as its value: a whole "${local.a.b}" expression reads from the evaluated locals;
 * "${local.a.b}" inside a string template is replaced when it evaluates to a string.
 */
export function resolveModuleValue(value: unknown, locals: Readonly<Record<string, unknown>>): unknown {
  if (typeof value !== 'string') return value;
  const lookup = (dotted: string) => dotted.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], locals);
  const whole = /^\$\{local\.([\w.]+)\}$/.exec(value);
  if (whole) return lookup(whole[1]!);
  return value.replace(/\$\{local\.([\w.]+)\}/g, (text, dotted: string) => {
    const resolved = lookup(dotted);
    return typeof resolved === 'string' ? resolved : text;
  });
}

/**
 * Arguments the module takes straight from one input variable: the module must spell them
 * "${var.<name>}", and every stack resource of the type must hold that input's value.
 */
export const INPUT_ARGUMENTS: ReadonlyArray<readonly [type: string, path: string, variable: string]> = [
  ['aws_kms_key', 'deletion_window_in_days', 'kms_key_deletion_window_days'],
  ['aws_kms_alias', 'name', 'kms_key_alias'],
  ['aws_s3_bucket_inventory', 'schedule.frequency', 'inventory_frequency'],
  ['aws_s3_bucket_inventory', 'destination.bucket.format', 'inventory_format'],
  ['aws_s3_bucket_inventory', 'destination.bucket.account_id', 'account_id'],
  ['aws_athena_workgroup', 'configuration.bytes_scanned_cutoff_per_query', 'athena_bytes_scanned_cutoff_per_query'],
  ['aws_athena_workgroup', 'configuration.result_configuration.expected_bucket_owner', 'account_id'],
];

/** Differences in INPUT_ARGUMENTS between stack resources, module resource blocks and the inputs. */
export function diffInputArguments(
  stack: SynthesizedStack,
  moduleBlocks: ReadonlyArray<{ kind: string; type: string; body: Record<string, unknown> }>,
  inputs: Readonly<Record<string, unknown>>,
): string[] {
  const problems: string[] = [];
  for (const [type, p, variable] of INPUT_ARGUMENTS) {
    for (const block of moduleBlocks.filter((b) => b.kind === 'resource' && b.type === type)) {
      problems.push(...diffValues(`module ${type}.${p}`, `\${var.${variable}}`, valueAt(block.body, p)));
    }
    for (const [id, body] of stackResources(stack, type)) {
      problems.push(...diffValues(`stack ${id}.${p} against input ${variable}`, valueAt(body, p), inputs[variable]));
    }
  }
  return problems;
}

/** Differences in STATIC_ARGUMENTS between stack resources and module resource blocks. */
export function diffStaticArguments(
  stack: SynthesizedStack,
  moduleBlocks: ReadonlyArray<{ kind: string; type: string; body: Record<string, unknown> }>,
  locals: Readonly<Record<string, unknown>>,
): string[] {
  const problems: string[] = [];
  const distinct = (values: unknown[]) => [...new Set(values.map((v) => JSON.stringify(v ?? null)))].sort();
  for (const [type, paths] of Object.entries(STATIC_ARGUMENTS)) {
    const stackBodies = [...stackResources(stack, type).values()];
    const moduleBodies = moduleBlocks.filter((b) => b.kind === 'resource' && b.type === type).map((b) => b.body);
    if (stackBodies.length === 0) continue;
    for (const p of paths) {
      const a = distinct(stackBodies.map((body) => valueAt(body, p)));
      const b = distinct(moduleBodies.map((body) => resolveModuleValue(valueAt(body, p), locals)));
      problems.push(...diffValues(`${type}.${p}`, a, b));
    }
  }
  return problems;
}

/**
 * Resources whose destruction leaves every migrated object unreadable once the deletion window
 * ends: stack and module must each carry `lifecycle { prevent_destroy = true }` on them. Checked
 * on each side, not as a difference, so that losing it on both sides fails too.
 */
export const PREVENT_DESTROY_TYPES = ['aws_kms_key', 'aws_kms_alias'] as const;

/** Every resource of PREVENT_DESTROY_TYPES, on either side, that a plan could destroy; [] when none. */
export function diffPreventDestroy(
  stack: SynthesizedStack,
  moduleBlocks: ReadonlyArray<{ kind: string; type: string; name: string; body: Record<string, unknown> }>,
): string[] {
  const problems: string[] = [];
  const fix = 'add lifecycle { prevent_destroy = true } (README.md, "Retiring the key")';
  for (const type of PREVENT_DESTROY_TYPES) {
    const stackBodies = stackResources(stack, type);
    if (stackBodies.size === 0) problems.push(`stack declares no ${type}`);
    for (const [id, body] of stackBodies) {
      const value = valueAt(body, 'lifecycle.prevent_destroy');
      if (value !== true) problems.push(`stack ${type} ${id}: lifecycle.prevent_destroy is ${JSON.stringify(value ?? null)}: ${fix}`);
    }
    const blocks = moduleBlocks.filter((b) => b.kind === 'resource' && b.type === type);
    if (blocks.length === 0) problems.push(`module declares no ${type}`);
    for (const block of blocks) {
      const value = valueAt(block.body, 'lifecycle.prevent_destroy');
      if (value !== true)
        problems.push(`module ${type}.${block.name}: lifecycle.prevent_destroy is ${JSON.stringify(value ?? null)}: ${fix}`);
    }
  }
  return problems;
}

/** The Batch Operations role as the module addresses it (and stack references read, normalised). */
const BATCH_OPERATIONS_ROLE = 'aws_iam_role.this';

/** The addresses a block's depends_on names: the stack writes "aws_x.y", the module "${aws_x.y}". */
function dependsOnAddresses(body: Record<string, unknown>): string[] {
  const named = (body.depends_on as string[] | undefined) ?? [];
  return named.map((address) => address.replace(/^\$\{(.*)\}$/, '$1'));
}

/**
 * Every key, on either side, that Terraform could create before the Batch Operations role: the key
 * policy names the role by literal ARN, which Terraform cannot order by, and KMS refuses a policy
 * whose principal does not exist yet. Checked on each side, so that losing the order on both fails.
 */
export function diffKeyOrdering(
  stack: SynthesizedStack,
  moduleBlocks: ReadonlyArray<{ kind: string; type: string; name: string; body: Record<string, unknown> }>,
): string[] {
  const problems: string[] = [];
  const fix = `order it after the role: depends_on = [${BATCH_OPERATIONS_ROLE}] in the module, EncryptionKey.orderAfter(role) in the stack`;
  const stackKeys = stackResources(stack, 'aws_kms_key');
  if (stackKeys.size === 0) problems.push('stack declares no aws_kms_key');
  for (const [id, body] of stackKeys) {
    const named = dependsOnAddresses(body);
    if (!named.includes(BATCH_OPERATIONS_ROLE)) problems.push(`stack aws_kms_key ${id}: depends_on is ${JSON.stringify(named)}: ${fix}`);
  }
  const moduleKeys = moduleBlocks.filter((b) => b.kind === 'resource' && b.type === 'aws_kms_key');
  if (moduleKeys.length === 0) problems.push('module declares no aws_kms_key');
  for (const block of moduleKeys) {
    const named = dependsOnAddresses(block.body);
    if (!named.includes(BATCH_OPERATIONS_ROLE))
      problems.push(`module aws_kms_key.${block.name}: depends_on is ${JSON.stringify(named)}: ${fix}`);
  }
  return problems;
}

/** An AWS Config rule reduced to what decides what it judges and against which key. */
export interface ComparableRule {
  readonly name: string;
  readonly owner: string;
  readonly sourceIdentifier: string;
  readonly resourceTypes: string[];
  readonly resourceId: string;
  readonly inputParameters: unknown;
}

/**
 * Differences between the stack's Config rules and the module's `compliance_rules` data, matched by
 * the bucket each rule is scoped to; [] when both judge the same buckets, with the same rule and key.
 * `decode` reads the stack's "${jsonencode(...)}" input parameters as data.
 */
export async function diffComplianceRules(
  stack: SynthesizedStack,
  moduleRules: Readonly<Record<string, Record<string, unknown>>>,
  decode: (argument: unknown) => Promise<unknown>,
): Promise<string[]> {
  const stackRules = new Map<string, ComparableRule>();
  for (const [id, body] of stackResources(stack, 'aws_config_config_rule')) {
    const bucket = valueAt(body, 'scope.compliance_resource_id');
    if (typeof bucket !== 'string') return [`stack aws_config_config_rule ${id}: no bucket in its scope`];
    stackRules.set(bucket, {
      name: body.name as string,
      owner: valueAt(body, 'source.owner') as string,
      sourceIdentifier: valueAt(body, 'source.source_identifier') as string,
      resourceTypes: valueAt(body, 'scope.compliance_resource_types') as string[],
      resourceId: bucket,
      inputParameters: normaliseStackReferences(await decode(body.input_parameters)),
    });
  }
  const problems: string[] = [];
  for (const [bucket, rule] of stackRules) {
    const data = moduleRules[bucket];
    if (!data) {
      problems.push(`aws_config_config_rule of ${bucket}: in the stack, not in the module`);
      continue;
    }
    problems.push(
      ...diffValues(`aws_config_config_rule of ${bucket}`, rule, {
        name: data.name,
        // The module writes owner = "AWS" in the resource block: only managed rules are declared.
        owner: 'AWS',
        sourceIdentifier: data.source_identifier,
        resourceTypes: data.resource_types,
        resourceId: data.resource_id,
        inputParameters: data.input_parameters,
      }),
    );
  }
  for (const bucket of Object.keys(moduleRules)) {
    if (!stackRules.has(bucket)) problems.push(`aws_config_config_rule of ${bucket}: in the module, not in the stack`);
  }
  return problems;
}
