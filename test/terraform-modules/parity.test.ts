// Parity of terraform-modules/s3-kms-migration with the CDKTF stack: same resource types, policies, inventory, catalog, role trust and outputs per environment.
// `terraform validate`/`plan` cannot run here (no network to download hashicorp/aws), so the module's
// data files are evaluated by terraform itself with provider-free stand-ins for resource attributes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MigrationConfig, loadConfig } from '../../stacks/config';
import { bucketSidFragment } from '../../stacks/config/names';
import {
  DISTRIBUTION,
  DSSE_KEY,
  DSSE_MRK,
  OTHER_DISTRIBUTION,
  PARTNER_READER,
  READER,
  config,
  jsonencodedValue,
  synthesize,
  SynthesizedStack,
} from '../stacks/builders';
import { outputsForStack, validateOutputs } from '../../runner/stack-outputs';
import {
  EvaluatedLocals,
  HclBlock,
  MODULE_DIR,
  blocksOf,
  copyModule,
  evaluateModuleData,
  moduleCalls,
  moduleInputs,
  parseModuleFiles,
} from './harness';
import {
  diffInputArguments,
  diffKeyOrdering,
  diffComplianceRules,
  diffPreventDestroy,
  diffStatements,
  diffStaticArguments,
  diffValues,
  stackPolicyDocuments,
  stackResources,
  valueAt,
  normaliseStackReferences,
} from './parity';

const ENVIRONMENTS = ['demo', 'dev', 'prod'] as const;
/**
 * Settings no shipped environment uses, so that parity covers them too: DSSE-KMS opt-in with keys
 * shared between buckets and without keys, accepted exceptions, and the AWS Config rule per bucket.
 */
const OPT_IN = 'opt-in';
/** Readers of this and another account, CloudFront distributions, log delivery, replication roles, accepted losses and event destinations, and audit mode. */
const READERS = 'readers';
const REPLICATION_ROLE = 'arn:aws:iam::123456789012:role/s3-replication';
const PARITY_CASES = [...ENVIRONMENTS, OPT_IN, READERS] as const;

/** The config of a shipped environment, or of the opt-in case. */
function configOf(name: string): MigrationConfig {
  if (name === READERS) {
    return config(
      {
        buckets: [
          {
            name: 'data-bucket',
            readers: [READER, PARTNER_READER],
            cloudfrontDistributions: [DISTRIBUTION],
            acceptLosingAccess: ['logging.s3.amazonaws.com'],
          },
          { name: 'web-assets-2', existingPolicy: 'read', cloudfrontDistributions: [DISTRIBUTION, OTHER_DISTRIBUTION] },
          {
            name: 'logs-bucket',
            readers: ['arn:aws:iam::210987654321:root'],
            logDelivery: ['s3-server-access-logs', 'vended-logs'],
            replicationRoles: [REPLICATION_ROLE],
            acceptEvents: ['eventbridge', 'arn:aws:lambda:eu-west-1:123456789012:function:thumbnails'],
          },
          { name: 'flow-logs', logDelivery: ['vended-logs'] },
          { name: 'replicated-bucket', replicationRoles: [REPLICATION_ROLE, 'arn:aws:iam::210987654321:role/dr-replication'] },
          { name: 'plain-bucket' },
        ],
        encryptionPolicy: { mode: 'audit' },
      },
      READERS,
    );
  }
  if (name !== OPT_IN) return loadConfig(name);
  return config(
    {
      buckets: [
        { name: 'data-bucket', dsseKms: { migrate: true, sourceKeyArns: [DSSE_KEY, DSSE_MRK] }, acceptRemaining: ['SSE-C'] },
        { name: 'logs-bucket', prefix: 'app/', dsseKms: { migrate: true, sourceKeyArns: [DSSE_MRK] } },
        { name: 'own-key-bucket', dsseKms: { migrate: true } },
        { name: 'vault-bucket', acceptRemaining: ['SSE-C', 'DSSE-KMS'] },
      ],
      compliance: { awsConfigRule: true },
    },
    OPT_IN,
  );
}
/** Data sources only the module has: it checks account and Region where the stack's provider block does (allowed_account_ids). */
const MODULE_ONLY_DATA_SOURCES = ['aws_caller_identity', 'aws_region'];

const evaluations = new Map<string, Promise<{ stack: SynthesizedStack; locals: EvaluatedLocals }>>();

/** Stack and module data of one environment, evaluated once per test file: terraform takes ~1 s a run. */
function evaluate(env: string): Promise<{ stack: SynthesizedStack; locals: EvaluatedLocals }> {
  if (!evaluations.has(env)) evaluations.set(env, evaluateFresh(env));
  return evaluations.get(env)!;
}

async function evaluateFresh(env: string): Promise<{ stack: SynthesizedStack; locals: EvaluatedLocals }> {
  const cfg = configOf(env);
  const result = await evaluateModuleData(moduleInputs(cfg));
  if ('error' in result) throw new Error(result.error);
  return { stack: synthesize(cfg).stack, locals: result.locals };
}

/** Every policy the stack declares against the module local holding the same statements. */
function policyDiffs(stack: SynthesizedStack, locals: EvaluatedLocals): string[] {
  const docs = stackPolicyDocuments(stack);
  const byPath = (p: string) => docs.get(p)?.statements ?? [];
  const problems: string[] = [];
  const pairs: [string, unknown][] = [
    ['MigrationKey/Policy', locals.key_policy_statements],
    ['InventoryBucket/PolicyDocument', (locals.own_bucket_policy_statements as Record<string, unknown>).inventory],
    ['ReportsBucket/PolicyDocument', (locals.own_bucket_policy_statements as Record<string, unknown>).reports],
    ['BatchOperationsRole/TrustPolicy', locals.batch_operations_trust_statements],
    ['BatchOperationsRole/PermissionsPolicy', locals.batch_operations_permission_statements],
  ];
  if (docs.has('KeyAlarm/TopicPolicyDocument')) pairs.push(['KeyAlarm/TopicPolicyDocument', locals.key_alarm_topic_statements]);
  for (const [name, statements] of Object.entries(locals.migrated_bucket_policy_statements as Record<string, unknown>)) {
    pairs.push([`Bucket-${name}/Policy/Document`, statements]);
  }
  for (const [p, statements] of pairs) {
    if (!docs.has(p)) problems.push(`${p}: no such policy document in the stack`);
    problems.push(...diffStatements(p, byPath(p), statements as Record<string, unknown>[]));
  }
  const compared = new Set(pairs.map(([p]) => p));
  for (const p of docs.keys()) if (!compared.has(p)) problems.push(`${p}: stack policy document without a module counterpart`);
  return problems;
}

let moduleBlocks: HclBlock[];
let rootFiles: Map<string, Record<string, unknown>>;

beforeAll(async () => {
  rootFiles = await parseModuleFiles(MODULE_DIR);
  const helperFiles = await parseModuleFiles(path.join(MODULE_DIR, 'modules', 'policy-document'));
  moduleBlocks = [...blocksOf(rootFiles), ...blocksOf(helperFiles)];
});

describe('resource types', () => {
  it('declares the resource and data source types of the stack, and no others', () => {
    const stackTypes = new Set<string>();
    for (const env of PARITY_CASES) {
      const { stack } = synthesize(configOf(env));
      for (const t of Object.keys(stack.resource)) stackTypes.add(`resource.${t}`);
      for (const t of Object.keys(stack.data)) stackTypes.add(`data.${t}`);
    }
    const moduleTypes = new Set(
      moduleBlocks.filter((b) => !(b.kind === 'data' && MODULE_ONLY_DATA_SOURCES.includes(b.type))).map((b) => `${b.kind}.${b.type}`),
    );
    expect([...moduleTypes].sort()).toEqual([...stackTypes].sort());
  });
});

describe('wiring of the statement data into resources', () => {
  it.each([
    ['key_policy', '${local.key_policy_statements}'],
    ['migrated_bucket_policy', '${local.migrated_bucket_policy_statements[each.key]}'],
    ['own_bucket_policy', '${local.own_bucket_policy_statements[each.key]}'],
    ['batch_operations_trust', '${local.batch_operations_trust_statements}'],
    ['batch_operations_permissions', '${local.batch_operations_permission_statements}'],
    ['key_alarm_topic_policy', '${local.key_alarm_topic_statements}'],
  ])('module %s renders %s', (call, statements) => {
    const body = moduleCalls(rootFiles).get(call);
    expect(body?.source).toBe('./modules/policy-document');
    expect(body?.statements).toBe(statements);
  });

  it.each([
    ['aws_kms_key', 'this', 'policy', '${module.key_policy.json}'],
    ['aws_s3_bucket_policy', 'migrated', 'policy', '${module.migrated_bucket_policy[each.key].json}'],
    ['aws_s3_bucket_policy', 'own', 'policy', '${module.own_bucket_policy[each.key].json}'],
    ['aws_iam_role', 'this', 'assume_role_policy', '${module.batch_operations_trust.json}'],
    ['aws_iam_role_policy', 'this', 'policy', '${module.batch_operations_permissions.json}'],
    ['aws_sns_topic_policy', 'this', 'policy', '${module.key_alarm_topic_policy[0].json}'],
    ['aws_cloudwatch_event_rule', 'this', 'event_pattern', '${jsonencode(local.key_alarm_event_pattern)}'],
    ['aws_glue_catalog_table', 'this', 'storage_descriptor.location', '${local.bucket_outputs[each.key].inventory_location}hive/'],
    ['aws_glue_catalog_table', 'this', 'storage_descriptor.ser_de_info.parameters', '${local.inventory_storage.serde_parameters}'],
    ['aws_glue_catalog_table', 'this', 'storage_descriptor.dynamic.columns.for_each', '${local.inventory_columns}'],
    ['aws_s3_bucket_lifecycle_configuration', 'own', 'dynamic.rule.for_each', '${local.own_bucket_lifecycle_rules[each.key]}'],
    ['aws_s3_bucket_versioning', 'migrated', 'for_each', '${{ for name, b in local.migrated_buckets : name => b if b.versioning }}'],
    ['aws_s3_bucket_versioning', 'own', 'for_each', '${{ for key, b in local.own_buckets : key => b if b.versioned }}'],
    ['aws_s3_bucket_inventory', 'this', 'dynamic.filter.for_each', '${each.value.prefix == null ? [] : [each.value.prefix]}'],
    ['aws_s3_bucket_inventory', 'this', 'for_each', '${local.migrated_buckets}'],
    ['aws_sns_topic_subscription', 'email', 'for_each', '${var.alarm_enabled ? toset(var.alarm_emails) : toset([])}'],
    ['aws_config_config_rule', 'this', 'for_each', '${local.compliance_rules}'],
    ['aws_config_config_rule', 'this', 'name', '${each.value.name}'],
    ['aws_config_config_rule', 'this', 'input_parameters', '${jsonencode(each.value.input_parameters)}'],
    ['aws_config_config_rule', 'this', 'source.owner', 'AWS'],
    ['aws_config_config_rule', 'this', 'source.source_identifier', '${each.value.source_identifier}'],
    ['aws_config_config_rule', 'this', 'scope.compliance_resource_types', '${each.value.resource_types}'],
    ['aws_config_config_rule', 'this', 'scope.compliance_resource_id', '${each.value.resource_id}'],
  ])('%s.%s %s is %s', (type, name, argument, expected) => {
    const block = moduleBlocks.find((b) => b.kind === 'resource' && b.type === type && b.name === name);
    expect(valueAt(block?.body, argument)).toBe(expected);
  });

  it('merges each bucket policy over the existing one: read, none or a given document', () => {
    const sources = moduleCalls(rootFiles).get('migrated_bucket_policy')?.source_policy_documents as string;
    expect(sources).toContain('data.aws_s3_bucket_policy.existing[each.key].policy');
    expect(sources).toContain('[each.value.existing_policy]');
    expect(sources).toMatch(/each\.value\.existing_policy == "none" \? \[\]/);
  });
});

describe.each(PARITY_CASES)('for the %s configuration', (env) => {
  let stack: SynthesizedStack;
  let locals: EvaluatedLocals;
  beforeAll(async () => {
    ({ stack, locals } = await evaluate(env));
  });

  it('declares the same policy statements: sids, effects, actions, principals, resources, conditions', () => {
    expect(policyDiffs(stack, locals)).toEqual([]);
  });

  it('refuses, on both sides, any plan that destroys the key or its alias', () => {
    expect(diffPreventDestroy(stack, moduleBlocks)).toEqual([]);
  });

  it('creates, on both sides, the key only after the Batch Operations role its policy names', () => {
    expect(diffKeyOrdering(stack, moduleBlocks)).toEqual([]);
  });

  it('sets the same security-relevant constant arguments', () => {
    expect(diffStaticArguments(stack, moduleBlocks, locals)).toEqual([]);
  });

  it('takes the same arguments from the same inputs', () => {
    expect(diffInputArguments(stack, moduleBlocks, moduleInputs(configOf(env)))).toEqual([]);
  });

  it('versions, inventories under a prefix and subscribes the same buckets and addresses', () => {
    const buckets = locals.migrated_buckets as Record<string, { versioning: boolean; prefix: string | null }>;
    const versioned = [...stackResources(stack, 'aws_s3_bucket_versioning').values()].map((v) => v.bucket as string);
    const ownVersioned = versioned.filter((b) => b.startsWith('${'));
    expect(versioned.filter((b) => !b.startsWith('${')).sort()).toEqual(
      Object.keys(buckets)
        .filter((b) => buckets[b]!.versioning)
        .sort(),
    );
    expect(ownVersioned).toEqual(['${aws_s3_bucket.own["reports"].id}']);
    for (const inventory of stackResources(stack, 'aws_s3_bucket_inventory').values()) {
      expect(valueAt(inventory, 'filter.prefix') ?? null).toBe(buckets[inventory.bucket as string]!.prefix);
    }
    const subscriptions = [...stackResources(stack, 'aws_sns_topic_subscription').values()].map((s) => s.endpoint);
    const cfg = configOf(env);
    expect(subscriptions.sort()).toEqual(cfg.alarm.enabled ? [...cfg.alarm.emails].sort() : []);
  });

  it('gives every Glue table the same columns, SerDe and partition projection', () => {
    for (const table of stackResources(stack, 'aws_glue_catalog_table').values()) {
      expect(diffValues('columns', valueAt(table, 'storage_descriptor.columns'), locals.inventory_columns)).toEqual([]);
      const storage = locals.inventory_storage as Record<string, unknown>;
      expect(valueAt(table, 'storage_descriptor.ser_de_info.parameters') ?? null).toEqual(storage.serde_parameters);
      expect(table.parameters).toEqual(locals.inventory_table_parameters);
    }
  });

  it('keeps the same lifecycle rules on its own buckets', () => {
    const rules = (body: Record<string, unknown>) =>
      (body.rule as Record<string, unknown>[]).map((r) => ({
        id: r.id,
        prefix: valueAt(r, 'filter.prefix'),
        expiration_days: valueAt(r, 'expiration.days') ?? null,
        abort_days: valueAt(r, 'abort_incomplete_multipart_upload.days_after_initiation') ?? null,
        noncurrent_days: valueAt(r, 'noncurrent_version_expiration.noncurrent_days') ?? null,
      }));
    const lifecycles = stackResources(stack, 'aws_s3_bucket_lifecycle_configuration');
    const module = locals.own_bucket_lifecycle_rules as Record<string, unknown>;
    expect(rules(lifecycles.get('InventoryBucket/Lifecycle')!)).toEqual(module.inventory);
    expect(rules(lifecycles.get('ReportsBucket/Lifecycle')!)).toEqual(module.reports);
  });

  it('inventories the same buckets with the same schedule and format', () => {
    const inventories = [...stackResources(stack, 'aws_s3_bucket_inventory').values()];
    const inputs = moduleInputs(configOf(env));
    for (const inventory of inventories) {
      expect(valueAt(inventory, 'schedule.frequency')).toBe(inputs.inventory_frequency);
      expect(valueAt(inventory, 'destination.bucket.format')).toBe(inputs.inventory_format);
      expect(valueAt(inventory, 'optional_fields')).toEqual(locals.inventory_optional_fields);
    }
    expect(inventories.map((i) => i.bucket).sort()).toEqual(Object.keys(locals.bucket_outputs as object).sort());
  });

  it('watches the same buckets with the same AWS Config rule and key, or none on both sides when off', async () => {
    expect(await diffComplianceRules(stack, locals.compliance_rules as Record<string, Record<string, unknown>>, jsonencodedValue)).toEqual(
      [],
    );
    const expected = configOf(env).compliance.awsConfigRule
      ? configOf(env)
          .buckets.map((b) => b.name)
          .sort()
      : [];
    expect(Object.keys(locals.compliance_rules as object).sort()).toEqual(expected);
  });

  it('alarms on the same CloudTrail events of the key', async () => {
    const rules = [...stackResources(stack, 'aws_cloudwatch_event_rule').values()];
    for (const rule of rules) expect(await jsonencodedValue(rule.event_pattern)).toEqual(locals.key_alarm_event_pattern);
  });

  it('outputs the same buckets map for the runner', () => {
    expect(normaliseStackReferences(stack.output.buckets!.value)).toEqual(locals.bucket_outputs);
  });

  it('names the database, workgroup, role and buckets the same way', () => {
    const names = locals.names as Record<string, string>;
    expect(valueAt([...stackResources(stack, 'aws_glue_catalog_database').values()][0], 'name')).toBe(names.glue_database);
    expect(valueAt([...stackResources(stack, 'aws_athena_workgroup').values()][0], 'name')).toBe(names.athena_workgroup);
    expect(valueAt([...stackResources(stack, 'aws_iam_role').values()][0], 'name')).toBe(names.batch_operations_role);
    const buckets = stackResources(stack, 'aws_s3_bucket');
    expect(buckets.get('InventoryBucket')?.bucket_prefix).toBe(names.inventory_bucket_prefix);
    expect(buckets.get('ReportsBucket')?.bucket_prefix).toBe(names.reports_bucket_prefix);
  });
});

/** `terraform output -json` of a module deployment of one case: values from the evaluated data, resource attributes as AWS returns them. */
async function moduleOutputJson(env: string): Promise<Record<string, unknown>> {
  const { locals } = await evaluate(env);
  const inputs = moduleInputs(configOf(env));
  const names = locals.names as Record<string, string>;
  const values: Record<string, unknown> = {
    stack: inputs.stack,
    region: inputs.region,
    account_id: inputs.account_id,
    kms_key_arn: `arn:aws:kms:${String(inputs.region)}:${String(inputs.account_id)}:key/0f1e2d3c-4b5a-6978-8091-a2b3c4d5e6f7`,
    kms_key_alias: inputs.kms_key_alias,
    inventory_bucket: `${names.inventory_bucket_prefix}20261123140000000000000001`,
    glue_database: names.glue_database,
    athena_workgroup: names.athena_workgroup,
    reports_bucket: `${names.reports_bucket_prefix}20261123140000000000000002`,
    reports_prefix: names.reports_prefix,
    batch_operations_role_arn: `arn:aws:iam::${String(inputs.account_id)}:role/${names.batch_operations_role}`,
    noncurrent_days: inputs.noncurrent_version_expiration_days,
    newer_noncurrent_versions: inputs.newer_noncurrent_versions ?? 0,
    buckets: locals.bucket_outputs,
  };
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, { sensitive: false, type: typeof value, value }]));
}

describe('statement ids named by a bucket', () => {
  it('spells each bucket name in letters and digits as the stack does, dots and repeated hyphens included', async () => {
    const names = ['web.assets-2', 'a--b', 'logs.2024.eu-west-1', 'x9z'];
    const result = await evaluateModuleData({ ...moduleInputs(configOf('prod')), buckets: names.map((name) => ({ name })) });
    if ('error' in result) throw new Error(result.error);
    const buckets = result.locals.migrated_buckets as Record<string, { sid_fragment: string }>;
    expect(names.map((n) => buckets[n]!.sid_fragment)).toEqual(names.map(bucketSidFragment));
  });

  it('finds granting buckets that would share a statement id, for the precondition that stops the plan', async () => {
    const buckets = [
      { name: 'acme-2024', readers: [READER] },
      { name: 'acme2024', cloudfront_distributions: [DISTRIBUTION] },
      { name: 'acme-2025', readers: [READER] },
      { name: 'acme2025' },
    ];
    const result = await evaluateModuleData({ ...moduleInputs(configOf('prod')), buckets });
    if ('error' in result) throw new Error(result.error);
    expect(result.locals.shared_granting_sid_fragments).toEqual(['Acme2024']);
  });
});

describe('the runner reading the module', () => {
  it('accepts `terraform output -json` of a module deployment as the outputs contract', async () => {
    const outputs = validateOutputs(outputsForStack(await moduleOutputJson('prod'), 'prod', 'outputs.json'), 'prod', 'outputs.json');
    expect(Object.keys(outputs.buckets).sort()).toEqual([
      'acme-prod-backups',
      'acme-prod-documents',
      'acme-prod-legacy-web',
      'acme-prod-uploads',
    ]);
  });

  it("reads each bucket's DSSE-KMS opt-in and accepted exceptions from a module deployment", async () => {
    const outputs = validateOutputs(outputsForStack(await moduleOutputJson(OPT_IN), OPT_IN, 'outputs.json'), OPT_IN, 'outputs.json');
    const settings = Object.fromEntries(
      Object.entries(outputs.buckets).map(([name, b]) => [
        name,
        { migrate_dsse_kms: b.migrate_dsse_kms, accepted_exceptions: b.accepted_exceptions },
      ]),
    );
    expect(settings).toEqual({
      'data-bucket': { migrate_dsse_kms: true, accepted_exceptions: ['SSE-C'] },
      'logs-bucket': { migrate_dsse_kms: true, accepted_exceptions: [] },
      'own-key-bucket': { migrate_dsse_kms: true, accepted_exceptions: [] },
      'vault-bucket': { migrate_dsse_kms: false, accepted_exceptions: ['SSE-C', 'DSSE-KMS'] },
    });
  });
});

describe('a drift between module and stack fails', () => {
  it('reports a statement that lost an action', async () => {
    const { stack, locals } = await evaluate('prod');
    const drifted = (locals.key_policy_statements as Record<string, unknown>[]).map((s) =>
      s.sid === 'NamedUsersUseKeyThroughS3' ? { ...s, actions: ['kms:Decrypt'] } : s,
    );
    expect(policyDiffs(stack, { ...locals, key_policy_statements: drifted }).join('\n')).toMatch(/NamedUsersUseKeyThroughS3 differs/);
  });

  it('reports an edited copy of the module whose action list dropped kms:ReEncryptTo', async () => {
    const copy = copyModule();
    try {
      const actionsFile = path.join(copy, 'actions.tf');
      fs.writeFileSync(actionsFile, fs.readFileSync(actionsFile, 'utf8').replace(', "kms:ReEncryptTo"]', ']'));
      const config = loadConfig('prod');
      const result = await evaluateModuleData(moduleInputs(config), copy);
      if ('error' in result) throw new Error(result.error);
      const problems = policyDiffs(synthesize(config).stack, result.locals).join('\n');
      expect(problems).toMatch(/BatchOperationsReencryptsThroughS3 differs/);
      expect(problems).toMatch(/UseMigrationKeyThroughS3 differs/);
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });

  it('reports a DSSE-KMS source key grant that lost its ViaService condition or a key', async () => {
    const { stack, locals } = await evaluate(OPT_IN);
    const edit = (change: (s: Record<string, unknown>) => Record<string, unknown>) =>
      (locals.batch_operations_permission_statements as Record<string, unknown>[]).map((s) =>
        s.sid === 'DecryptDsseKmsSourcesThroughS3' ? change(s) : s,
      );
    for (const drifted of [edit((s) => ({ ...s, conditions: [] })), edit((s) => ({ ...s, resources: [DSSE_KEY] }))]) {
      expect(policyDiffs(stack, { ...locals, batch_operations_permission_statements: drifted }).join('\n')).toMatch(
        /DecryptDsseKmsSourcesThroughS3 differs/,
      );
    }
  });

  it('reports a module that grants the DSSE-KMS source keys to a bucket that did not opt in', async () => {
    const { stack, locals } = await evaluate('prod');
    const extra = {
      sid: 'DecryptDsseKmsSourcesThroughS3',
      effect: 'Allow',
      principals: [],
      actions: ['kms:Decrypt'],
      resources: [DSSE_KEY],
      conditions: [],
    };
    const drifted = [...(locals.batch_operations_permission_statements as Record<string, unknown>[]), extra];
    expect(policyDiffs(stack, { ...locals, batch_operations_permission_statements: drifted }).join('\n')).toMatch(
      /DecryptDsseKmsSourcesThroughS3 is in the module, not in the stack/,
    );
  });

  it('reports an edited copy of the module whose key and alias lost prevent_destroy', async () => {
    const copy = copyModule();
    try {
      const kmsFile = path.join(copy, 'kms.tf');
      const edited = fs.readFileSync(kmsFile, 'utf8').replace(/^\s*prevent_destroy = true\n/gm, '');
      expect(edited).not.toContain('prevent_destroy');
      fs.writeFileSync(kmsFile, edited);
      const { stack } = await evaluate('prod');
      const problems = diffPreventDestroy(stack, blocksOf(await parseModuleFiles(copy))).join('\n');
      expect(problems).toMatch(/module aws_kms_key\.this: lifecycle\.prevent_destroy is null/);
      expect(problems).toMatch(/module aws_kms_alias\.this: lifecycle\.prevent_destroy is null/);
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });

  it('reports an edited copy of the module whose key lost its depends_on on the role', async () => {
    const copy = copyModule();
    try {
      const kmsFile = path.join(copy, 'kms.tf');
      const edited = fs.readFileSync(kmsFile, 'utf8').replace(/^\s*depends_on = \[aws_iam_role\.this\]\n/m, '');
      expect(edited).not.toContain('depends_on');
      fs.writeFileSync(kmsFile, edited);
      const { stack } = await evaluate('prod');
      expect(diffKeyOrdering(stack, blocksOf(await parseModuleFiles(copy))).join('\n')).toMatch(
        /^module aws_kms_key\.this: depends_on is \[\]: order it after the role/,
      );
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });

  it('reports a stack whose key lost its depends_on on the role', async () => {
    const { stack } = await evaluate('prod');
    const keys = Object.fromEntries(
      Object.entries(stack.resource.aws_kms_key!).map(([id, body]) => [id, { ...body, depends_on: undefined }]),
    );
    const drifted = { ...stack, resource: { ...stack.resource, aws_kms_key: keys } };
    expect(diffKeyOrdering(drifted, moduleBlocks)).toEqual([
      'stack aws_kms_key MigrationKey: depends_on is []: order it after the role: depends_on = [aws_iam_role.this] in the module, EncryptionKey.orderAfter(role) in the stack',
    ]);
  });

  it('reports a stack whose key lost prevent_destroy', async () => {
    const { stack } = await evaluate('prod');
    const keys = Object.fromEntries(
      Object.entries(stack.resource.aws_kms_key!).map(([id, body]) => [id, { ...body, lifecycle: undefined }]),
    );
    const drifted = { ...stack, resource: { ...stack.resource, aws_kms_key: keys } };
    expect(diffPreventDestroy(drifted, moduleBlocks).join('\n')).toMatch(
      /stack aws_kms_key MigrationKey: lifecycle\.prevent_destroy is null/,
    );
  });

  it('reports an argument the module no longer takes from its input', async () => {
    const { stack } = await evaluate('prod');
    const drifted = moduleBlocks.map((b) => (b.type === 'aws_kms_key' ? { ...b, body: { ...b.body, deletion_window_in_days: 7 } } : b));
    expect(diffInputArguments(stack, drifted, moduleInputs(loadConfig('prod'))).join('\n')).toMatch(
      /module aws_kms_key\.deletion_window_in_days differs/,
    );
  });

  it('reports a Config rule that allows another key, and one the stack does not declare', async () => {
    const { stack, locals } = await evaluate(OPT_IN);
    const rules = locals.compliance_rules as Record<string, Record<string, unknown>>;
    const otherKey = { ...rules, 'data-bucket': { ...rules['data-bucket']!, input_parameters: { kmsKeyArns: DSSE_KEY } } };
    expect((await diffComplianceRules(stack, otherKey, jsonencodedValue)).join('\n')).toMatch(
      /aws_config_config_rule of data-bucket differs/,
    );
    const offStack = (await evaluate('prod')).stack;
    expect((await diffComplianceRules(offStack, rules, jsonencodedValue)).join('\n')).toMatch(
      /aws_config_config_rule of vault-bucket: in the module, not in the stack/,
    );
  });

  it('reports an edited copy of the module whose rule lost its scope to one bucket', async () => {
    const copy = copyModule();
    try {
      const localsFile = path.join(copy, 'locals.tf');
      const edited = fs.readFileSync(localsFile, 'utf8').replace('resource_id       = name', 'resource_id       = "*"');
      expect(edited).toContain('resource_id       = "*"');
      fs.writeFileSync(localsFile, edited);
      const config = configOf(OPT_IN);
      const result = await evaluateModuleData(moduleInputs(config), copy);
      if ('error' in result) throw new Error(result.error);
      const rules = result.locals.compliance_rules as Record<string, Record<string, unknown>>;
      expect((await diffComplianceRules(synthesize(config).stack, rules, jsonencodedValue)).join('\n')).toMatch(
        /aws_config_config_rule of data-bucket differs/,
      );
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });

  it('reports Bucket Keys switched off on the migrated buckets', async () => {
    const { stack, locals } = await evaluate('demo');
    const drifted = moduleBlocks.map((b) =>
      b.type === 'aws_s3_bucket_server_side_encryption_configuration' && b.name === 'migrated'
        ? { ...b, body: { ...b.body, rule: [{ ...(b.body.rule as object[])[0], bucket_key_enabled: false }] } }
        : b,
    );
    expect(diffStaticArguments(stack, drifted, locals).join('\n')).toMatch(/rule\.bucket_key_enabled differs/);
  });
});
