// The optional AWS Config rule per migrated bucket: off by default, and when on, S3_DEFAULT_ENCRYPTION_KMS scoped to each bucket by name with the stack's key.
import { TerraformStack, Testing } from 'cdktf';
import { ConfigConfigRule } from '@cdktf/provider-aws/lib/config-config-rule';
import { listStacks, loadConfig } from '../../stacks/config';
import { DefaultEncryptionRule } from '../../stacks/constructs/default-encryption-rule';
import { config, jsonencodedValue, resourcesOf, synthesize } from './builders';

const KEY_ARN = '${aws_kms_key.MigrationKey_2857B45E.arn}';
const withRule = () => config({ compliance: { awsConfigRule: true } });

describe('when off', () => {
  it('is off when the config does not mention it', () => {
    expect(config().compliance).toEqual({ awsConfigRule: false });
  });

  it('declares no Config rule', () => {
    expect(resourcesOf(synthesize().stack, 'aws_config_config_rule')).toEqual([]);
  });

  it.each(listStacks())('declares none in the shipped %s stack, whose account may have no recorder', (name) => {
    expect(resourcesOf(synthesize(loadConfig(name)).stack, 'aws_config_config_rule')).toEqual([]);
  });
});

describe('when on', () => {
  const { json, stack } = synthesize(withRule());
  const rules = resourcesOf(stack, 'aws_config_config_rule');

  it('declares one rule per migrated bucket, scoped to that bucket alone', () => {
    const scopes = rules.map((r) => r.scope);
    expect(scopes).toEqual([
      { compliance_resource_types: ['AWS::S3::Bucket'], compliance_resource_id: 'data-bucket' },
      { compliance_resource_types: ['AWS::S3::Bucket'], compliance_resource_id: 'logs-bucket' },
    ]);
  });

  it('uses the managed rule S3_DEFAULT_ENCRYPTION_KMS', () => {
    for (const bucket of ['data-bucket', 'logs-bucket']) {
      expect(json).toHaveResourceWithProperties(ConfigConfigRule, {
        name: `kms-migration-test-s3-default-encryption-kms-${bucket}`,
        source: { owner: 'AWS', source_identifier: 'S3_DEFAULT_ENCRYPTION_KMS' },
      });
    }
  });

  it("allows only the stack's key", async () => {
    for (const rule of rules) expect(await jsonencodedValue(rule.input_parameters)).toEqual({ kmsKeyArns: KEY_ARN });
  });

  it('names each rule uniquely in the account: stack and bucket', () => {
    const other = resourcesOf(synthesize(config({ compliance: { awsConfigRule: true } }, 'other')).stack, 'aws_config_config_rule');
    const names = [...rules, ...other].map((r) => r.name);
    expect(new Set(names).size).toBe(4);
  });

  it("keeps a rule's address when another bucket is added before it", () => {
    const ids = (cfg: ReturnType<typeof config>) => Object.keys(synthesize(cfg).stack.resource.aws_config_config_rule ?? {});
    const more = config({ compliance: { awsConfigRule: true }, buckets: [{ name: 'aaa-bucket' }, { name: 'data-bucket' }] });
    expect(ids(more)).toEqual(expect.arrayContaining([ids(withRule())[0]]));
  });
});

describe('DefaultEncryptionRule', () => {
  const build =
    (ruleName: string, bucketName = 'data-bucket') =>
    () =>
      new DefaultEncryptionRule(new TerraformStack(Testing.app(), 'Stack'), 'Rule', { bucketName, ruleName, kmsKeyArn: 'arn' });

  it("refuses a rule name over AWS Config's 128 characters, naming its length", () => {
    expect(build('r'.repeat(129))).toThrow(/'ruleName' must be 1-128 characters, AWS Config's limit. Received: 129 characters/);
  });

  it('refuses an empty bucket name, which would scope the rule to nothing', () => {
    expect(build('rule', '')).toThrow(/'bucketName' must name the bucket/);
  });

  it('fits the longest stack and bucket names the config allows', () => {
    const stackName = 's'.repeat(20);
    const bucket = 'b'.repeat(63);
    const rules = resourcesOf(
      synthesize(config({ compliance: { awsConfigRule: true }, buckets: [{ name: bucket }] }, stackName)).stack,
      'aws_config_config_rule',
    );
    expect((rules[0]!.name as string).length).toBeLessThanOrEqual(128);
  });
});
