// Sandbox apply of synthesized stacks: the demo stack lands whole and yields outputs the runner
// accepts; a stack with a resource type the sandbox cannot create is refused before anything is applied.
import { Testing } from 'cdktf';
import { GetBucketEncryptionCommand, GetBucketPolicyCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { GetTableCommand } from '@aws-sdk/client-glue';
import { loadConfig, parseConfig } from '../../../stacks/config';
import { MigrationStack } from '../../../stacks/migration-stack';
import { OUTPUT_NAMES } from '../../../stacks/outputs';
import { validateOutputs } from '../../../runner/stack-outputs';
import { useSandbox } from '../../../sandbox/support/clients';
import { applyStack } from '../../../rehearsal/terraform/apply';
import type { SynthesizedStack } from '../../../rehearsal/terraform/plan';

function synthesized(config = loadConfig('demo')): SynthesizedStack {
  return JSON.parse(Testing.synth(new MigrationStack(Testing.app(), config))) as SynthesizedStack;
}

describe('applyStack', () => {
  const fixture = useSandbox({
    seed: { buckets: ['demo-app-assets', 'demo-data-lake', 'demo-logs'].map((name) => ({ name, versions: 5 })) },
  });
  const context = () => {
    let n = 0;
    return {
      clients: fixture.clients,
      accountId: fixture.sandbox.world.accountId,
      region: fixture.sandbox.world.region,
      iam: fixture.sandbox.world.iam,
      uniqueSuffix: () => `t${++n}`,
    };
  };

  it('refuses a stack with a resource type it cannot create, naming it, before applying anything', async () => {
    const raw = { ...loadConfig('demo'), alarm: { enabled: true, emails: [] } };
    const withAlarm = parseConfig('demo', {
      region: raw.region,
      accountId: raw.accountId,
      key: raw.key,
      buckets: raw.buckets.map((b) => ({ name: b.name })),
      alarm: raw.alarm,
    });
    const before = (await fixture.clients.s3.send(new ListBucketsCommand({}))).Buckets?.length;
    await expect(applyStack(synthesized(withAlarm), context())).rejects.toThrow(
      /does not support resource type aws_cloudwatch_event_rule\. Supported: /,
    );
    expect((await fixture.clients.s3.send(new ListBucketsCommand({}))).Buckets?.length).toBe(before);
  });

  it('applies the demo stack and produces every output of the contract, valid for the runner', async () => {
    const applied = await applyStack(synthesized(), context());
    expect(Object.keys(applied.outputs).sort()).toEqual([...OUTPUT_NAMES].sort());
    const outputs = validateOutputs(applied.outputs, 'demo', 'sandbox apply');
    expect(outputs.kms_key_arn).toMatch(/^arn:aws:kms:us-east-1:123456789012:key\//);

    const encryption = await fixture.clients.s3.send(new GetBucketEncryptionCommand({ Bucket: 'demo-app-assets' }));
    expect(encryption.ServerSideEncryptionConfiguration?.Rules?.[0]).toMatchObject({
      ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: outputs.kms_key_arn },
      BucketKeyEnabled: true,
    });
    // The data lake's existing statement survives the merge, next to ours.
    const policy = JSON.parse((await fixture.clients.s3.send(new GetBucketPolicyCommand({ Bucket: 'demo-data-lake' }))).Policy!);
    expect(policy.Statement.map((s: { Sid: string }) => s.Sid)).toEqual(
      expect.arrayContaining(['AnalyticsReadsCurated', 'DenyInsecureTransport', 'DenyKmsKeyOtherThanMigrationKey']),
    );
    const table = await fixture.clients.glue.send(
      new GetTableCommand({ DatabaseName: outputs.glue_database, Name: outputs.buckets['demo-app-assets']?.glue_table }),
    );
    expect(table.Table?.StorageDescriptor?.Location).toBe(`${outputs.buckets['demo-app-assets']?.inventory_location}hive/`);
    expect(fixture.sandbox.world.iam.hasRole(outputs.batch_operations_role_arn)).toBe(true);
  });
});
