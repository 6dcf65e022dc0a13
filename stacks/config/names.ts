// AWS names and identifiers a config holds (Regions, buckets, key aliases, ARNs, tags, stack
// names): the patterns AWS and this stack accept, and the rule for each.
import { z } from 'zod';
import { expecting } from './messages';

/** Regions where S3, KMS, Glue, Athena and S3 Batch Operations are all available. */
export const KNOWN_REGIONS: readonly string[] = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'af-south-1',
  'ap-east-1',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ca-central-1',
  'ca-west-1',
  'eu-central-1',
  'eu-central-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-south-1',
  'eu-south-2',
  'eu-north-1',
  'il-central-1',
  'me-south-1',
  'me-central-1',
  'sa-east-1',
];

// S3 bucket naming rules (general purpose buckets): 3-63 chars, lower-case letters, digits, dots
// and hyphens, starting and ending with a letter or digit, not shaped like an IP address. The
// prefixes and suffixes S3 reserves are RESERVED_BUCKET_AFFIXES, named in their own message.
export const BUCKET_NAME = /^(?!\d+\.\d+\.\d+\.\d+$)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * Starts and ends of names no general purpose bucket can have, with what S3 keeps them for, from
 * "General purpose bucket naming rules":
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 * A config naming one names something else (an access point alias, a directory or table bucket)
 * or mistypes a bucket, and the stack would manage a bucket that cannot exist.
 */
const RESERVED_BUCKET_AFFIXES: readonly { readonly at: 'start' | 'end'; readonly text: string; readonly keptFor: string }[] = [
  { at: 'start', text: 'xn--', keptFor: 'internationalized (punycode) domain names' },
  { at: 'start', text: 'sthree-', keptFor: 'its own use (sthree-, sthree-configurator)' },
  { at: 'start', text: 'amzn-s3-demo-', keptFor: 'the examples of its documentation' },
  { at: 'end', text: '-s3alias', keptFor: 'access point aliases' },
  { at: 'end', text: '--ol-s3', keptFor: 'Object Lambda Access Point aliases' },
  { at: 'end', text: '.mrap', keptFor: 'Multi-Region Access Point names' },
  { at: 'end', text: '--x-s3', keptFor: 'directory buckets (S3 Express One Zone)' },
  { at: 'end', text: '--table-s3', keptFor: 'S3 Tables' },
];

/** Why S3 would never give a general purpose bucket this name, or undefined when it may. */
export function reservedBucketNameProblem(name: string): string | undefined {
  const reserved = RESERVED_BUCKET_AFFIXES.find((a) => (a.at === 'start' ? name.startsWith(a.text) : name.endsWith(a.text)));
  if (reserved === undefined) return undefined;
  return (
    `${JSON.stringify(name)} ${reserved.at === 'start' ? 'starts' : 'ends'} with "${reserved.text}", which S3 reserves for ${reserved.keptFor}: ` +
    'no general purpose bucket has such a name; name the bucket itself'
  );
}

// KMS alias names: alias/ followed by 1-250 of [a-zA-Z0-9/_-]; alias/aws/ is reserved for AWS.
export const KEY_ALIAS = /^alias\/(?!aws\/)[a-zA-Z0-9/_-]{1,250}$/;
export const ACCOUNT_ID = /^\d{12}$/;
// IAM principals that may appear in a key policy: roles, users, the account root, assumed roles are
// not stable principals and are refused.
export const IAM_PRINCIPAL_ARN = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:(root|role\/[\w+=,.@/-]+|user\/[\w+=,.@/-]+)$/;
// KMS key ARNs in the partition of KNOWN_REGIONS; a key id is a UUID, or mrk- and 32 hex digits for a
// multi-Region key. Alias ARNs are refused: IAM authorizes kms:Decrypt against the key, not an alias.
export const KMS_KEY_ARN =
  /^arn:aws:kms:[a-z]{2}(?:-[a-z]+)+-\d:\d{12}:key\/(?:mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
export const KMS_ALIAS_ARN = /^arn:aws[a-z-]*:kms:[^:]*:[^:]*:alias\//;
// CloudFront distribution ARNs: global (no Region), the owning account, an upper-case distribution id.
export const CLOUDFRONT_DISTRIBUTION_ARN = /^arn:aws:cloudfront::\d{12}:distribution\/[A-Z0-9]+$/;
// Principals a bucket's readers may lose access to: any ARN (roles, users, roots, assumed-role
// sessions, the legacy CloudFront origin access identity user, distributions) or a service principal.
export const PRINCIPAL_ARN = /^arn:aws(-cn|-us-gov)?:[a-z0-9-]+:[a-z0-9-]*:[a-z0-9]*:[^*?]+$/;
// An IAM role of any account: what S3 assumes to replicate a bucket.
export const IAM_ROLE_ARN = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@/-]+$/;
// Destinations of S3 event notifications: an SNS topic, an SQS queue, a Lambda function (or its alias or version).
export const NOTIFICATION_DESTINATION_ARN =
  /^arn:aws(-cn|-us-gov)?:(sns|sqs):[a-z0-9-]+:\d{12}:[\w.-]+$|^arn:aws(-cn|-us-gov)?:lambda:[a-z0-9-]+:\d{12}:function:[\w-]+(:[\w$-]+)?$/;
export const SERVICE_PRINCIPAL = /^[a-z0-9-]+(\.[a-z0-9-]+)*\.amazonaws\.com(\.cn)?$/;
const STACK_NAME = /^[a-z][a-z0-9-]{0,19}$/;
export const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
// AWS reserves tag keys starting with aws: in any case for its own tags; a request setting one fails.
export const RESERVED_TAG_KEY = /^aws:/i;

/**
 * Why `name` cannot name a stack, or undefined when it can: the rule for config file names, which
 * become Terraform working directories and resource names, and for the runner's --stack.
 */
export function stackNameProblem(name: string): string | undefined {
  if (STACK_NAME.test(name)) return undefined;
  return `stack name '${name}': use 1-20 lower-case letters, digits and hyphens, starting with a letter`;
}

/** A Region of KNOWN_REGIONS; an unknown one is named with the list to choose from. */
export const regionSchema = z
  .string({ error: expecting('a region name string such as "eu-west-1"') })
  .refine((r) => KNOWN_REGIONS.includes(r), {
    error: (issue) => `unknown region ${JSON.stringify(issue.input)}: use one of ${KNOWN_REGIONS.join(', ')}`,
  });

/**
 * What a bucket's key prefix must not hold. The prefix lands in IAM resource ARNs (the Batch
 * Operations role is granted arn:aws:s3:::<bucket>/<prefix>*, see constructs/batch-operations-role.ts)
 * and in the synthesized Terraform JSON, and there some characters are not themselves:
 * - `*` and `?` are IAM wildcards: the prefix "*" grants arn:aws:s3:::<bucket>/**, every key;
 * - `${` opens an IAM policy variable and a Terraform interpolation, `%{` a Terraform template
 *   directive, and aws_iam_policy_document turns `&{` into `${`;
 * - an IAM policy document holds only tab, line feed, carriage return and U+0020 to U+00FF
 *   (PutRolePolicy's PolicyDocument pattern), so any other character fails the apply; control
 *   characters, which no S3 tool shows, are refused with them.
 */
export function keyPrefixProblems(prefix: string): string[] {
  const problems: string[] = [];
  const shown = JSON.stringify(prefix);
  const wildcards = [...new Set(prefix.match(/[*?]/g) ?? [])];
  if (wildcards.length > 0) {
    problems.push(
      `${shown} holds ${wildcards.map((w) => `"${w}"`).join(' and ')}, which IAM reads as a wildcard in the Batch Operations role's grant ` +
        `arn:aws:s3:::<bucket>/${prefix}*, so the role would reach keys outside the prefix${prefix === '*' ? ' (here every key of the bucket)' : ''}; ` +
        'name a literal prefix such as "logs/", or leave "prefix" out to migrate the whole bucket',
    );
  }
  const expressions = [...new Set(prefix.match(/[$&%]\{/g) ?? [])];
  if (expressions.length > 0) {
    problems.push(
      `${shown} holds ${expressions.map((e) => `"${e}"`).join(' and ')}: IAM reads \${...} in a resource ARN as a policy variable (aws_iam_policy_document writes &{...} as \${...}) ` +
        'and Terraform reads ${ and %{ as its own expressions, so the prefix would not be the keys it names; use a prefix without them',
    );
  }
  const isOutside = (c: string) => {
    const code = c.codePointAt(0)!;
    return code < 0x20 || code === 0x7f || code > 0xff;
  };
  const characters = [...prefix];
  const outside = [...new Set(characters.filter(isOutside))];
  if (outside.length > 0) {
    const named = outside.map((c) => {
      const code = `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
      return c.codePointAt(0)! > 0xff ? `"${c}" (${code})` : code;
    });
    const before = characters.slice(0, characters.findIndex(isOutside)).join('');
    problems.push(
      `${shown} holds ${named.join(', ')}: IAM policy documents take only printable characters up to U+00FF, so the Batch Operations role's policy ` +
        `could not be applied; ${before ? `narrow to ${JSON.stringify(before)}, the prefix before them, or leave` : 'leave'} "prefix" out to migrate the whole bucket`,
    );
  }
  return problems;
}

/**
 * A bucket name as a part of a policy statement id, which IAM and KMS take alphanumeric only: each
 * run of letters and digits between dots and hyphens, its first letter upper-cased
 * ("acme-prod.logs" -> "AcmeProdLogs"). Not one-to-one ("a-b" and "a.b" meet): configs whose
 * buckets would share an id are refused (config/checks.ts). Changing it renames statements.
 */
export function bucketSidFragment(bucketName: string): string {
  return bucketName
    .split(/[.-]/)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

/**
 * The service principal each `logDelivery` entry grants on the key: S3 server access logs
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html) and
 * vended logs (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-S3.html#AWS-logs-SSE-KMS-S3).
 * Elastic Load Balancing has none: it is refused.
 */
export const LOG_DELIVERY_PRINCIPALS: Readonly<Record<string, string | undefined>> = {
  's3-server-access-logs': 'logging.s3.amazonaws.com',
  'vended-logs': 'delivery.logs.amazonaws.com',
};
