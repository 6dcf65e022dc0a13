// The whole stack: outputs contract, policy hygiene across every document, resource ordering, the optional alarm, stable ids.
import { listStacks, loadConfig } from '../../stacks/config';
import { OUTPUT_DESCRIPTIONS, OUTPUT_NAMES, bucketOutputSchema } from '../../stacks/outputs';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import {
  DISTRIBUTION,
  DSSE_KEY,
  PARTNER_READER,
  READER,
  RenderedStatement,
  SynthesizedStack,
  conditionValues,
  config,
  dataOf,
  jsonencodedValue,
  policyStatements,
  resourcesOf,
  statement,
  synthesize,
} from './builders';

describe.each(listStacks())('stack %s', (name) => {
  const cfg = loadConfig(name);
  const { stack } = synthesize(cfg);

  it('declares every output of the contract, each with its description', () => {
    expect(Object.keys(stack.output).sort()).toEqual([...OUTPUT_NAMES].sort());
    for (const output of OUTPUT_NAMES) {
      expect(stack.output[output]?.description).toBe(OUTPUT_DESCRIPTIONS[output]);
      expect(stack.output[output]?.value).toBeDefined();
    }
  });

  it('describes every configured bucket in the buckets output, in the contract shape', () => {
    const buckets = stack.output.buckets?.value as Record<string, unknown>;
    expect(Object.keys(buckets).sort()).toEqual(cfg.buckets.map((b) => b.name).sort());
    for (const entry of Object.values(buckets)) expect(() => bucketOutputSchema.parse(entry)).not.toThrow();
  });

  it('allows no wildcard action in any policy', () => {
    for (const doc of Object.values(dataOf(stack, 'aws_iam_policy_document'))) {
      for (const s of doc.statement as RenderedStatement[]) {
        if (s.effect === 'Allow') for (const action of s.actions) expect(action).not.toContain('*');
        expect(s.actions).not.toContain('*');
      }
    }
  });

  it('puts a TLS-only statement on every bucket policy it writes', () => {
    const policyDocs = Object.keys(dataOf(stack, 'aws_iam_policy_document')).filter(
      (id) => /(Policy_Document|PolicyDocument)_[0-9A-F]{8}$/.test(id) && !id.startsWith('KeyAlarm'),
    );
    expect(policyDocs.length).toBe(cfg.buckets.length + 2);
    for (const id of policyDocs) {
      const tls = statement(dataOf(stack, 'aws_iam_policy_document')[id]?.statement as RenderedStatement[], 'DenyInsecureTransport');
      expect(conditionValues(tls, 'Bool', 'aws:SecureTransport')).toEqual(['false']);
    }
  });

  it('conditions every service principal on the source account or source ARN', () => {
    for (const doc of Object.values(dataOf(stack, 'aws_iam_policy_document'))) {
      for (const s of doc.statement as RenderedStatement[]) {
        if (!s.principals?.some((p) => p.type === 'Service')) continue;
        const variables = (s.condition ?? []).map((c) => c.variable);
        expect([s.sid, variables.some((v) => v === 'aws:SourceAccount' || v === 'aws:SourceArn')]).toEqual([s.sid, true]);
      }
    }
  });

  it('refuses to plan against another account', () => {
    const provider = stack.provider.aws?.[0] as Record<string, unknown>;
    expect(provider.allowed_account_ids).toEqual([cfg.accountId]);
    expect(provider.region).toBe(cfg.region);
  });

  it('creates the key only after the Batch Operations role its policy names', () => {
    // KMS refuses a key policy whose principal does not exist yet; the policy names the role by a
    // literal ARN, which Terraform cannot order by, so the key must say depends_on.
    const [named] = statement(policyStatements(stack, 'MigrationKey/Policy'), 'BatchOperationsReencryptsThroughS3').principals![0]!
      .identifiers;
    const roles = Object.entries(stack.resource.aws_iam_role ?? {});
    const role = roles.find(([, body]) => named === `arn:aws:iam::${cfg.accountId}:role/${String(body.name)}`);
    expect(role).toBeDefined();
    const [key] = Object.values(stack.resource.aws_kms_key ?? {});
    expect(key?.depends_on).toEqual([`aws_iam_role.${role![0]}`]);
  });

  it('declares no dependency cycle, which Terraform would refuse to plan', () => {
    expect(dependencyCycle(stack)).toEqual([]);
  });

  it('keeps the addresses of its resources, since a renamed id replaces the real resource', () => {
    const addresses = Object.entries(stack.resource).flatMap(([type, byId]) => Object.keys(byId).map((id) => `${type}.${id}`));
    expect(addresses.sort()).toMatchSnapshot();
  });
});

/**
 * A cycle among the stack's resources and data sources, as addresses, or [] when there is none.
 * Edges are the references in each block (`${aws_x.id.attr}`, `${data.aws_y.id.json}`) and its depends_on.
 */
function dependencyCycle(stack: SynthesizedStack): string[] {
  const blocks = new Map<string, unknown>();
  for (const [type, byId] of Object.entries(stack.resource))
    for (const [id, body] of Object.entries(byId)) blocks.set(`${type}.${id}`, body);
  for (const [type, byId] of Object.entries(stack.data ?? {}))
    for (const [id, body] of Object.entries(byId)) blocks.set(`data.${type}.${id}`, body);
  const edges = new Map<string, string[]>();
  for (const [address, body] of blocks) {
    const named = JSON.stringify(body).match(/\b(?:data\.)?aws_[a-z0-9_]+\.[A-Za-z0-9_-]+/g) ?? [];
    edges.set(
      address,
      [...new Set(named)].filter((target) => target !== address && blocks.has(target)),
    );
  }
  const state = new Map<string, 'open' | 'done'>();
  const trail: string[] = [];
  const visit = (address: string): string[] => {
    if (state.get(address) === 'done') return [];
    if (state.get(address) === 'open') return [...trail.slice(trail.indexOf(address)), address];
    state.set(address, 'open');
    trail.push(address);
    for (const target of edges.get(address) ?? []) {
      const cycle = visit(target);
      if (cycle.length > 0) return cycle;
    }
    trail.pop();
    state.set(address, 'done');
    return [];
  };
  for (const address of blocks.keys()) {
    const cycle = visit(address);
    if (cycle.length > 0) return cycle;
  }
  return [];
}

describe('dependencyCycle', () => {
  it('finds a cycle that a key depending on its own role policy would make', () => {
    const { stack } = synthesize();
    const [rolePolicyId] = Object.keys(stack.resource.aws_iam_role_policy!);
    const keys = Object.fromEntries(
      Object.entries(stack.resource.aws_kms_key!).map(([id, body]) => [
        id,
        { ...body, depends_on: [`aws_iam_role_policy.${rolePolicyId}`] },
      ]),
    );
    const cyclic = { ...stack, resource: { ...stack.resource, aws_kms_key: keys } };
    // The role policy names the key's ARN, and here the key waits for the role policy.
    expect(dependencyCycle(cyclic)).toEqual(expect.arrayContaining([`aws_iam_role_policy.${rolePolicyId}`]));
  });
});

describe('buckets output', () => {
  it("carries each bucket's DSSE-KMS opt-in and accepted exceptions, defaults included", () => {
    const { stack } = synthesize(
      config({
        buckets: [
          { name: 'data-bucket', dsseKms: { migrate: true, sourceKeyArns: [DSSE_KEY] }, acceptRemaining: ['SSE-C'] },
          { name: 'vault-bucket', acceptRemaining: ['SSE-C', 'DSSE-KMS'] },
          { name: 'logs-bucket' },
        ],
      }),
    );
    const buckets = stack.output.buckets?.value as Record<string, Record<string, unknown>>;
    expect(buckets['data-bucket']).toMatchObject({ migrate_dsse_kms: true, accepted_exceptions: ['SSE-C'] });
    expect(buckets['vault-bucket']).toMatchObject({ migrate_dsse_kms: false, accepted_exceptions: ['SSE-C', 'DSSE-KMS'] });
    expect(buckets['logs-bucket']).toMatchObject({ migrate_dsse_kms: false, accepted_exceptions: [] });
    for (const entry of Object.values(buckets)) expect(bucketOutputSchema.parse(entry)).toEqual(entry);
  });
});

describe('buckets output: who reads each bucket', () => {
  it("carries each bucket's readers, distributions and principals accepted to lose access, [] when none", () => {
    const { stack } = synthesize(
      config({
        buckets: [
          {
            name: 'data-bucket',
            readers: [READER, PARTNER_READER],
            cloudfrontDistributions: [DISTRIBUTION],
            acceptLosingAccess: ['logging.s3.amazonaws.com'],
          },
          { name: 'logs-bucket' },
        ],
      }),
    );
    const buckets = stack.output.buckets?.value as Record<string, Record<string, unknown>>;
    expect(buckets['data-bucket']).toMatchObject({
      readers: [READER, PARTNER_READER],
      cloudfront_distributions: [DISTRIBUTION],
      accept_losing_access: ['logging.s3.amazonaws.com'],
    });
    expect(buckets['logs-bucket']).toMatchObject({ readers: [], cloudfront_distributions: [], accept_losing_access: [] });
    for (const entry of Object.values(buckets)) expect(bucketOutputSchema.parse(entry)).toEqual(entry);
  });
});

describe('key alarm', () => {
  it('watches DisableKey and ScheduleKeyDeletion of the key and tells an encrypted SNS topic', async () => {
    const { json, stack } = synthesize(config({ alarm: { enabled: true, emails: ['oncall@example.com'] } }));
    expect(json).toHaveResourceWithProperties(CloudwatchEventRule, { name: 'kms-migration-test-key-alarm' });
    const [rule] = resourcesOf(stack, 'aws_cloudwatch_event_rule');
    expect(await jsonencodedValue(rule?.event_pattern)).toEqual({
      source: ['aws.kms'],
      'detail-type': ['AWS API Call via CloudTrail'],
      detail: {
        eventSource: ['kms.amazonaws.com'],
        eventName: ['DisableKey', 'ScheduleKeyDeletion'],
        resources: { ARN: ['${aws_kms_key.MigrationKey_2857B45E.arn}'] },
      },
    });
    expect(resourcesOf(stack, 'aws_sns_topic')[0]?.kms_master_key_id).toBe('${aws_kms_key.MigrationKey_2857B45E.arn}');
    expect(resourcesOf(stack, 'aws_sns_topic_subscription')[0]).toMatchObject({
      protocol: 'email',
      endpoint: 'oncall@example.com',
    });
    const publish = statement(policyStatements(stack, 'KeyAlarm/TopicPolicyDocument'), 'KeyAlarmRulePublishes');
    expect(conditionValues(publish, 'ArnEquals', 'aws:SourceArn')).toEqual([
      'arn:aws:events:eu-west-1:123456789012:rule/kms-migration-test-key-alarm',
    ]);
  });

  it('is absent when disabled', () => {
    const { stack, json } = synthesize(config({ alarm: { enabled: false } }));
    expect(stack.resource.aws_cloudwatch_event_rule).toBeUndefined();
    expect(json).not.toHaveResourceWithProperties(CloudwatchEventRule, {});
  });
});

describe('provider', () => {
  it('tags everything with the configured tags and the stack', () => {
    const { json } = synthesize(config({ tags: { team: 'platform' } }));
    expect(json).toHaveProviderWithProperties(AwsProvider, {
      default_tags: [{ tags: { team: 'platform', 'kms-migration:stack': 'test' } }],
    });
  });
});
