// The AWS services that deliver logs into a bucket, and whether each keeps working once the bucket's objects are under a customer-managed KMS key.

export interface LogDeliveryService {
  /** What a person calls it. */
  readonly service: string;
  /** `grant-key`: works with a key policy statement; `refuse`: no key permission makes it work. */
  readonly verdict: 'grant-key' | 'refuse';
  readonly why: string;
  /** The stack config's `buckets[].logDelivery` entry that grants it the key, where one can. */
  readonly configName?: 's3-server-access-logs' | 'vended-logs';
}

/**
 * S3 server access logs. The S3 User Guide long said destination buckets support SSE-S3 default
 * encryption only, and aws-cdk refused SSE-KMS log buckets for it (aws/aws-cdk#23385); it relaxed
 * the check again because SSE-KMS with a customer-managed key works once the key policy lets
 * logging.s3.amazonaws.com use it (https://github.com/aws/aws-cdk/pull/25350). The aws/s3 managed
 * key cannot be granted, so it stays broken (the case aws-cdk still refuses).
 */
const S3_SERVER_ACCESS_LOGS: LogDeliveryService = {
  service: 'S3 server access logs (logging.s3.amazonaws.com)',
  verdict: 'grant-key',
  configName: 's3-server-access-logs',
  why:
    'S3 server access log delivery writes into an SSE-KMS bucket only when the key policy lets logging.s3.amazonaws.com use the key ' +
    '(kms:GenerateDataKey); AWS documentation long said SSE-S3 only, aws-cdk found SSE-KMS works with that grant (https://github.com/aws/aws-cdk/pull/25350)',
};

/**
 * Vended logs (CloudWatch Logs' delivery infrastructure: VPC flow logs, Network Load Balancer logs,
 * CloudFront standard logging v2 ...) write into an SSE-KMS bucket when the key policy grants
 * delivery.logs.amazonaws.com: https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-S3.html#AWS-logs-SSE-KMS-S3
 */
const VENDED_LOGS: LogDeliveryService = {
  service: 'AWS vended logs (delivery.logs.amazonaws.com)',
  verdict: 'grant-key',
  configName: 'vended-logs',
  why:
    'log delivery by delivery.logs.amazonaws.com (VPC flow logs, Network Load Balancer logs, CloudFront standard logs ...) needs the key policy to grant it ' +
    'kms:GenerateDataKey* (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-S3.html#AWS-logs-SSE-KMS-S3)',
};

/**
 * Application and Classic Load Balancer access logs: "The only server-side encryption option that's
 * supported is Amazon S3-managed keys (SSE-S3)"
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html);
 * aws-cdk refuses a KMS-encrypted ALB log bucket for it (aws/aws-cdk#29382).
 */
const ELB_ACCESS_LOGS: LogDeliveryService = {
  service: 'Elastic Load Balancing access logs',
  verdict: 'refuse',
  why:
    'Elastic Load Balancing access logs support SSE-S3 destination buckets only (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html): ' +
    'no key policy makes delivery work under SSE-KMS. Send these logs to a bucket that keeps SSE-S3, then migrate this one',
};

/** Service principals that deliver logs, by name. */
const BY_SERVICE_PRINCIPAL: Readonly<Record<string, LogDeliveryService>> = {
  'logging.s3.amazonaws.com': S3_SERVER_ACCESS_LOGS,
  'delivery.logs.amazonaws.com': VENDED_LOGS,
  // Regions opened since August 2022 name ELB's service principal instead of a regional account.
  'logdelivery.elasticloadbalancing.amazonaws.com': ELB_ACCESS_LOGS,
};

/**
 * The accounts Elastic Load Balancing writes access logs from, by Region (older Regions name these
 * instead of a service principal): https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/enable-access-logs.html#attach-bucket-policy
 */
export const ELB_LOG_DELIVERY_ACCOUNTS: Readonly<Record<string, string>> = {
  'us-east-1': '127311923021',
  'us-east-2': '033677994240',
  'us-west-1': '027434742980',
  'us-west-2': '797873946194',
  'af-south-1': '098369216593',
  'ap-east-1': '754344448648',
  'ap-southeast-3': '589379963580',
  'ap-south-1': '718504428378',
  'ap-northeast-3': '383597477331',
  'ap-northeast-2': '600734575887',
  'ap-southeast-1': '114774131450',
  'ap-southeast-2': '783225319266',
  'ap-northeast-1': '582318560864',
  'ca-central-1': '985666609251',
  'eu-central-1': '054676820928',
  'eu-west-1': '156460612806',
  'eu-west-2': '652711504416',
  'eu-south-1': '635631232127',
  'eu-west-3': '009996457667',
  'eu-north-1': '897822967062',
  'me-south-1': '076674570225',
  'sa-east-1': '507241528517',
  'us-gov-west-1': '048591011584',
  'us-gov-east-1': '190560391635',
  'cn-north-1': '638102146993',
  'cn-northwest-1': '037604701340',
};

const ELB_ACCOUNTS = new Set(Object.values(ELB_LOG_DELIVERY_ACCOUNTS));

/** The log delivery a principal stands for: a service principal, or an ELB regional account. */
export function logDeliveryOf(principal: {
  readonly kind: string;
  readonly principal: string;
  readonly account?: string;
}): LogDeliveryService | undefined {
  if (principal.kind === 'service') return BY_SERVICE_PRINCIPAL[principal.principal.toLowerCase()];
  if (principal.kind === 'account-root' && principal.account !== undefined && ELB_ACCOUNTS.has(principal.account)) return ELB_ACCESS_LOGS;
  return undefined;
}
