// Continuous compliance of one migrated bucket: the AWS Config managed rule S3_DEFAULT_ENCRYPTION_KMS, scoped to
// that bucket and allowing only the migration key, so a bucket whose default encryption drifts away is reported.
import { Construct } from 'constructs';
import { Fn } from 'cdktf';
import { ConfigConfigRule } from '@cdktf/provider-aws/lib/config-config-rule';

/** AWS Config's managed rule checking that a bucket's default encryption is SSE-KMS, with one of the listed keys. */
export const DEFAULT_ENCRYPTION_RULE_IDENTIFIER = 'S3_DEFAULT_ENCRYPTION_KMS';
/** The Config resource type of a bucket; a scope naming one resource id may name only this one type. */
export const BUCKET_RESOURCE_TYPE = 'AWS::S3::Bucket';
/** AWS Config's limit on a rule name. */
export const MAX_RULE_NAME_LENGTH = 128;

export interface DefaultEncryptionRuleProps {
  /** Name of the existing bucket the rule watches; the scope's resource id. */
  readonly bucketName: string;
  /** Rule name, unique in the account and Region; at most 128 characters. */
  readonly ruleName: string;
  /** The only key the bucket's default encryption may name. */
  readonly kmsKeyArn: string;
}

export class DefaultEncryptionRule extends Construct {
  readonly rule: ConfigConfigRule;

  constructor(scope: Construct, id: string, props: DefaultEncryptionRuleProps) {
    super(scope, id);
    if (props.bucketName.length === 0) throw new Error("'bucketName' must name the bucket the rule watches. Received: ''");
    if (props.ruleName.length === 0 || props.ruleName.length > MAX_RULE_NAME_LENGTH) {
      throw new Error(
        `'ruleName' must be 1-${MAX_RULE_NAME_LENGTH} characters, AWS Config's limit. Received: ${props.ruleName.length} characters (${props.ruleName})`,
      );
    }
    this.rule = new ConfigConfigRule(this, 'Rule', {
      name: props.ruleName,
      description: `Default encryption of ${props.bucketName} is SSE-KMS with the S3 migration key`,
      source: { owner: 'AWS', sourceIdentifier: DEFAULT_ENCRYPTION_RULE_IDENTIFIER },
      // A scope may name one resource id only together with exactly one resource type: hence one rule
      // per bucket. Unscoped, the rule would judge every bucket of the account against our key.
      scope: { complianceResourceTypes: [BUCKET_RESOURCE_TYPE], complianceResourceId: props.bucketName },
      // jsonencode, not JSON.stringify: the key ARN is a reference, and a JSON string with an
      // interpolation inside loses its escapes in `cdktf synth --hcl` (as in key-alarm.ts).
      inputParameters: Fn.jsonencode({ kmsKeyArns: props.kmsKeyArn }),
    });
  }
}
