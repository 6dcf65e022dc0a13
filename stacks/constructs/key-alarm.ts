// The alarm path of seed 5: CloudTrail sees DisableKey or ScheduleKeyDeletion on the migration key,
// EventBridge matches it and tells an SNS topic, because a disabled key makes every object unreadable.
import { Construct } from 'constructs';
import { Fn } from 'cdktf';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { PolicyStatement, policyDocument, servicePrincipal } from './policy';

/** The KMS API calls that make SSE-KMS objects unreadable. */
export const KEY_ALARM_EVENTS = ['DisableKey', 'ScheduleKeyDeletion'] as const;

export interface KeyAlarmProps {
  readonly kmsKeyArn: string;
  readonly accountId: string;
  readonly region: string;
  /** Rule name; known before the rule exists so the key policy can name it without a cycle. */
  readonly ruleName: string;
  readonly topicName: string;
  /** @default no subscriptions */
  readonly emails?: readonly string[];
}

export class KeyAlarm extends Construct {
  readonly rule: CloudwatchEventRule;
  readonly topic: SnsTopic;
  readonly topicPolicyStatements: readonly PolicyStatement[];

  /** ARN of the rule, computable before it exists. */
  static ruleArn(region: string, accountId: string, ruleName: string): string {
    return `arn:aws:events:${region}:${accountId}:rule/${ruleName}`;
  }

  constructor(scope: Construct, id: string, props: KeyAlarmProps) {
    super(scope, id);
    this.topic = new SnsTopic(this, 'Topic', { name: props.topicName, kmsMasterKeyId: props.kmsKeyArn });
    this.rule = new CloudwatchEventRule(this, 'Rule', {
      name: props.ruleName,
      description: 'The S3 migration KMS key was disabled or scheduled for deletion',
      // jsonencode, not JSON.stringify: a JSON string with an interpolated ARN inside loses its
      // escapes in `cdktf synth --hcl` and the HCL does not parse; an expression converts cleanly.
      // jsonencode sorts the keys; neither EventBridge nor the provider's diff reads JSON key order.
      eventPattern: Fn.jsonencode({
        source: ['aws.kms'],
        'detail-type': ['AWS API Call via CloudTrail'],
        detail: {
          eventSource: ['kms.amazonaws.com'],
          eventName: [...KEY_ALARM_EVENTS],
          resources: { ARN: [props.kmsKeyArn] },
        },
      }),
    });
    this.topicPolicyStatements = [
      {
        sid: 'KeyAlarmRulePublishes',
        effect: 'Allow',
        principals: [servicePrincipal('events.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.arn],
        conditions: [
          { test: 'ArnEquals', variable: 'aws:SourceArn', values: [KeyAlarm.ruleArn(props.region, props.accountId, props.ruleName)] },
        ],
      },
    ];
    const topicPolicy = policyDocument(this, 'TopicPolicyDocument', { statements: this.topicPolicyStatements });
    new SnsTopicPolicy(this, 'TopicPolicy', { arn: this.topic.arn, policy: topicPolicy.json });
    new CloudwatchEventTarget(this, 'Target', { rule: this.rule.name, arn: this.topic.arn });
    // Ids carry the address, not a position, so removing one subscriber leaves the others alone.
    for (const email of props.emails ?? []) {
      new SnsTopicSubscription(this, `Email-${email}`, { topicArn: this.topic.arn, protocol: 'email', endpoint: email });
    }
  }
}
