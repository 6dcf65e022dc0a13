// Rules that span fields of one config, or several stacks' configs, which the schema cannot
// express one field at a time.
import { inventoryTableName } from '../inventory-schema';
import { defaultStateKey } from './backend';
import { ConfigError } from './messages';
import { LOG_DELIVERY_PRINCIPALS, bucketSidFragment } from './names';
import type { MigrationConfig, ParsedConfig } from './schema';

/** The rules across fields of one parsed config; each problem names its field. */
export function crossFieldProblems(config: ParsedConfig): string[] {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  config.buckets.forEach((bucket, index) => {
    const first = seen.get(bucket.name);
    if (first !== undefined) {
      problems.push(
        `buckets[${index}].name: duplicate bucket '${bucket.name}' (also buckets[${first}]): list each bucket once; use "prefix" to narrow it`,
      );
    } else {
      seen.set(bucket.name, index);
    }
  });
  config.buckets.forEach((bucket, index) => problems.push(...remainingClassProblems(bucket, index, config.region)));
  config.buckets.forEach((bucket, index) => problems.push(...bucketAccessProblems(bucket, index, config)));
  problems.push(...grantIdProblems(config));
  const tables = new Map<string, string>();
  for (const bucket of config.buckets) {
    const table = inventoryTableName(bucket.name);
    const other = tables.get(table);
    if (other !== undefined && other !== bucket.name) {
      problems.push(`buckets: '${other}' and '${bucket.name}' map to the same Glue table '${table}': migrate one of them in another stack`);
    }
    tables.set(table, bucket.name);
  }
  const stateBucket = config.backend?.type === 's3' ? config.backend.bucket : undefined;
  const migrated = config.buckets.findIndex((b) => b.name === stateBucket);
  if (migrated >= 0) {
    problems.push(
      `backend.bucket: '${stateBucket}' is also buckets[${migrated}], a bucket this stack migrates: its policy would refuse Terraform's state writes and its state would depend on the key the stack manages; keep state in a bucket of its own`,
    );
  }
  const foreign = [...config.key.administrators, ...config.key.users].filter((arn) => arn.split(':')[4] !== config.accountId);
  for (const arn of foreign) {
    problems.push(
      `key: principal ${arn} is not in account ${config.accountId}: cross-account key use is out of scope; use a principal of the deploying account`,
    );
  }
  if (config.key.users.length === 0) {
    problems.push('key.users: is empty: name at least the role that runs the migration runner, or nobody can read the encrypted objects');
  }
  return problems;
}

/** Each value of a list once: "listed twice" problems for the others. */
function duplicateProblems(at: string, field: string, values: readonly string[], what: string): string[] {
  return values.flatMap((value, i) => {
    const first = values.indexOf(value);
    return first === i ? [] : [`${at}.${field}[${i}]: ${value} is listed twice (also ${field}[${first}]): list each ${what} once`];
  });
}

/**
 * A bucket's readers, distributions and accepted losses, against each other and key.users: each
 * principal is granted in one place, and nobody is both granted and accepted to lose access.
 */
function bucketAccessProblems(bucket: ParsedConfig['buckets'][number], index: number, config: ParsedConfig): string[] {
  const at = `buckets[${index}]`;
  const problems: string[] = [
    ...duplicateProblems(at, 'readers', bucket.readers, 'reader'),
    ...duplicateProblems(at, 'cloudfrontDistributions', bucket.cloudfrontDistributions, 'distribution'),
    ...duplicateProblems(at, 'acceptLosingAccess', bucket.acceptLosingAccess, 'principal'),
    ...duplicateProblems(at, 'logDelivery', bucket.logDelivery, 'service'),
    ...logDeliveryProblems(bucket, at),
    ...duplicateProblems(at, 'replicationRoles', bucket.replicationRoles, 'role'),
    ...duplicateProblems(at, 'acceptEvents', bucket.acceptEvents, 'destination'),
  ];
  const ownRoot = `arn:aws:iam::${config.accountId}:root`;
  bucket.readers.forEach((arn, i) => {
    const user = config.key.users.indexOf(arn);
    if (user >= 0) {
      problems.push(
        `${at}.readers[${i}]: ${arn} is also key.users[${user}], which already lets it read and write every migrated bucket through S3: list it in one place (readers for decrypt on this bucket only)`,
      );
    }
    if (arn === ownRoot) {
      problems.push(
        `${at}.readers[${i}]: ${arn} is this account's root: granting it would let every IAM policy of account ${config.accountId} grant decrypt; name the roles or users that read the bucket`,
      );
    }
  });
  bucket.acceptLosingAccess.forEach((principal, i) => {
    const granted = [
      ['key.users', config.key.users.indexOf(principal)],
      [`${at}.readers`, bucket.readers.indexOf(principal)],
      [`${at}.cloudfrontDistributions`, bucket.cloudfrontDistributions.indexOf(principal)],
      [`${at}.replicationRoles`, bucket.replicationRoles.indexOf(principal)],
    ].find(([, position]) => (position as number) >= 0);
    if (granted) {
      problems.push(
        `${at}.acceptLosingAccess[${i}]: ${principal} is granted by ${String(granted[0])}[${String(granted[1])}] and accepted to lose access at once: remove it from one of them`,
      );
    }
  });
  return problems;
}

/**
 * Log delivery a key grant cannot keep working: Elastic Load Balancing access logs ("The only
 * server-side encryption option that's supported is Amazon S3-managed keys (SSE-S3)",
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html).
 * Also a service both granted and accepted to lose access.
 */
function logDeliveryProblems(bucket: ParsedConfig['buckets'][number], at: string): string[] {
  const problems: string[] = [];
  bucket.logDelivery.forEach((service, i) => {
    if (service === 'elb-access-logs') {
      problems.push(
        `${at}.logDelivery[${i}]: "elb-access-logs": Elastic Load Balancing access logs support SSE-S3 destination buckets only ` +
          '(https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html), so no key policy keeps them arriving once ' +
          `'${bucket.name}' is under the key. Point the load balancers' access logs at a bucket that keeps SSE-S3 (outside this stack) first, then remove "elb-access-logs" and migrate this bucket`,
      );
    }
    const principal = LOG_DELIVERY_PRINCIPALS[service];
    const accepted = principal === undefined ? -1 : bucket.acceptLosingAccess.indexOf(principal);
    if (accepted >= 0) {
      problems.push(
        `${at}.logDelivery[${i}]: "${service}" grants ${principal}, which ${at}.acceptLosingAccess[${accepted}] accepts to lose access: remove it from one of them`,
      );
    }
  });
  return problems;
}

/** Buckets whose grant statements would share a sid: the key policy takes each sid once. */
function grantIdProblems(config: ParsedConfig): string[] {
  const problems: string[] = [];
  const owners = new Map<string, string>();
  for (const bucket of config.buckets) {
    if (
      bucket.readers.length === 0 &&
      bucket.cloudfrontDistributions.length === 0 &&
      bucket.logDelivery.length === 0 &&
      bucket.replicationRoles.length === 0
    )
      continue;
    const id = bucketSidFragment(bucket.name);
    const other = owners.get(id);
    if (other !== undefined) {
      problems.push(
        `buckets: '${other}' and '${bucket.name}' both grant readers, distributions, log delivery or replication roles under the key policy statement id '${id}' (ids keep only letters and digits): migrate one of them in another stack`,
      );
    }
    owners.set(id, bucket.name);
  }
  return problems;
}

/** The DSSE-KMS opt-in and the accepted exceptions of one bucket, against each other and the Region. */
function remainingClassProblems(bucket: ParsedConfig['buckets'][number], index: number, region: string): string[] {
  const at = `buckets[${index}]`;
  const problems: string[] = [];
  const { migrate, sourceKeyArns } = bucket.dsseKms;
  if (!migrate && sourceKeyArns.length > 0) {
    problems.push(
      `${at}.dsseKms.sourceKeyArns: lists ${sourceKeyArns.length} key${sourceKeyArns.length === 1 ? '' : 's'} while dsseKms.migrate is false, so nothing would use them: set "migrate": true to copy DSSE-KMS versions in place, or remove the keys`,
    );
  }
  const firstArn = new Map<string, number>();
  sourceKeyArns.forEach((arn, i) => {
    const keyRegion = arn.split(':')[3];
    if (keyRegion !== region) {
      problems.push(
        `${at}.dsseKms.sourceKeyArns[${i}]: key ${arn} is in ${keyRegion}, not in the stack's region ${region}: S3 encrypts a bucket's objects only with keys of the bucket's Region, so no version can be under it; list the key's ${region} ARN (for a multi-Region key, its ${region} replica)`,
      );
    }
    const first = firstArn.get(arn);
    if (first !== undefined) {
      problems.push(`${at}.dsseKms.sourceKeyArns[${i}]: ${arn} is listed twice (also sourceKeyArns[${first}]): list each key once`);
    } else {
      firstArn.set(arn, i);
    }
  });
  bucket.acceptRemaining.forEach((cls, i) => {
    const first = bucket.acceptRemaining.indexOf(cls);
    if (first !== i) {
      problems.push(`${at}.acceptRemaining[${i}]: "${cls}" is listed twice (also acceptRemaining[${first}]): list each class once`);
    }
  });
  if (migrate && bucket.acceptRemaining.includes('DSSE-KMS')) {
    problems.push(
      `${at}.acceptRemaining and ${at}.dsseKms.migrate: "DSSE-KMS" is accepted as remaining while dsseKms.migrate is true: remove "DSSE-KMS" from acceptRemaining to migrate those versions, or set dsseKms.migrate to false to leave them as reported exceptions`,
    );
  }
  return problems;
}

/**
 * Stacks whose S3 state is the same object: each would plan to destroy what only the other
 * declares. One ConfigError per stack after the first, as main.ts reports them.
 */
export function sharedStateProblems(configs: readonly MigrationConfig[]): ConfigError[] {
  const owners = new Map<string, string>();
  const errors: ConfigError[] = [];
  for (const config of configs) {
    if (config.backend.type !== 's3') continue;
    const location = `s3://${config.backend.bucket}/${config.backend.key}`;
    const owner = owners.get(location);
    if (owner === undefined) {
      owners.set(location, config.stackName);
      continue;
    }
    errors.push(
      new ConfigError(config.stackName, [
        `backend.key: state at ${location} is also the state of stack '${owner}': two stacks on one state object each plan to destroy what only the other declares; give each its own key (leave "key" out for ${defaultStateKey(config.stackName)})`,
      ]),
    );
  }
  return errors;
}

/** Whether the CI variable says this runs in a pipeline; unset, "", "0" and "false" say it does not. */
export function runsInCi(env: NodeJS.ProcessEnv): boolean {
  const ci = env.CI?.trim().toLowerCase();
  return ci !== undefined && !['', '0', 'false'].includes(ci);
}

/**
 * Refuses to build a stack with local state in CI: that state does not exist on a fresh CI machine,
 * so a plan there would create every resource again (a second key among them), and two pipelines
 * cannot lock it. `"allowInCi": true` says that is intended (tests and the demo synthesize only).
 */
export function refuseLocalStateInCi(config: MigrationConfig, env: NodeJS.ProcessEnv): void {
  if (config.backend.type !== 'local' || config.backend.allowInCi || !runsInCi(env)) return;
  throw new ConfigError(config.stackName, [
    `backend: the state of stack '${config.stackName}' is a local file, and CI is set (CI=${JSON.stringify(env.CI)}): on a fresh CI machine that state does not exist, so a plan would create every resource again, and two pipelines cannot lock it. ` +
      `Give the stack remote state, "backend": { "type": "s3", "bucket": "<state bucket>" }, or, if building it in CI is intended (tests, the demo; never a plan or apply), set "backend": { "type": "local", "allowInCi": true } in ${config.stackName}.json`,
  ]);
}
