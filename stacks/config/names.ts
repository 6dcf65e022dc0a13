// AWS names and identifiers a config holds (Regions, buckets, key aliases, ARNs, tags, stack
// names): the patterns AWS and this stack accept, and the rule for each.
import { z } from 'zod';
import { expecting } from './messages';

/** Regions where S3, KMS, Glue, Athena and S3 Batch Operations are all available. */
export const KNOWN_REGIONS: readonly string[] = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
  'af-south-1',
  'ap-east-1', 'ap-south-1', 'ap-south-2', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3',
  'ap-southeast-4', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3',
  'ca-central-1', 'ca-west-1',
  'eu-central-1', 'eu-central-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-south-1', 'eu-south-2',
  'eu-north-1',
  'il-central-1', 'me-south-1', 'me-central-1', 'sa-east-1',
];

// S3 bucket naming rules (general purpose buckets): 3-63 chars, lower-case letters, digits, dots
// and hyphens, starting and ending with a letter or digit, not shaped like an IP address.
export const BUCKET_NAME = /^(?!\d+\.\d+\.\d+\.\d+$)(?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
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
const STACK_NAME = /^[a-z][a-z0-9-]{0,19}$/;
export const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;

/**
 * Why `name` cannot name a stack, or undefined when it can: the rule for config file names, which
 * become Terraform working directories and resource names, and for the runner's --stack.
 */
export function stackNameProblem(name: string): string | undefined {
  if (STACK_NAME.test(name)) return undefined;
  return `stack name '${name}': use 1-20 lower-case letters, digits and hyphens, starting with a letter`;
}

/** A Region of KNOWN_REGIONS; an unknown one is named with the list to choose from. */
export const regionSchema = z.string({ error: expecting('a region name string such as "eu-west-1"') }).refine((r) => KNOWN_REGIONS.includes(r), {
  error: (issue) => `unknown region ${JSON.stringify(issue.input)}: use one of ${KNOWN_REGIONS.join(', ')}`,
});
