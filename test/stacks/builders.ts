// Fixture builders for stack tests: a valid config to vary, and a synthesized stack read as data.
import { parse } from '@cdktf/hcl2json';
import { Testing } from 'cdktf';
import { MigrationConfig, parseConfig } from '../../stacks/config';
import { MigrationStack } from '../../stacks/migration-stack';

export const ACCOUNT = '123456789012';

/** KMS keys in the builders' Region (eu-west-1) that DSSE-KMS versions may be under: one single-Region, one multi-Region. */
export const DSSE_KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/0a1b2c3d-4e5f-4071-8293-a4b5c6d7e8f9`;
export const DSSE_MRK = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/mrk-0123456789abcdef0123456789abcdef`;

/** Who reads a bucket besides the key users: a role of the account, a role of another account, a distribution. */
export const READER = `arn:aws:iam::${ACCOUNT}:role/reporting`;
export const PARTNER_READER = 'arn:aws:iam::210987654321:role/partner-ingest';
export const DISTRIBUTION = `arn:aws:cloudfront::${ACCOUNT}:distribution/E2QWRUHAPOMQZL`;
export const OTHER_DISTRIBUTION = `arn:aws:cloudfront::${ACCOUNT}:distribution/E1A2B3C4D5E6F7`;

/** A raw config that passes validation; tests override one field to break it. */
export function rawConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    region: 'eu-west-1',
    accountId: ACCOUNT,
    key: {
      alias: 'alias/s3-migration-test',
      administrators: [`arn:aws:iam::${ACCOUNT}:role/admin`],
      users: [`arn:aws:iam::${ACCOUNT}:role/runner`],
    },
    buckets: [{ name: 'data-bucket' }, { name: 'logs-bucket', prefix: 'app/', usesAcls: true }],
    ...overrides,
  };
}

export function config(overrides: Record<string, unknown> = {}, stackName = 'test'): MigrationConfig {
  return parseConfig(stackName, rawConfig(overrides));
}

/** Synthesized Terraform JSON of one stack. */
export interface SynthesizedStack {
  readonly resource: Record<string, Record<string, Record<string, unknown>>>;
  readonly data: Record<string, Record<string, Record<string, unknown>>>;
  readonly output: Record<string, { value: unknown; description?: string }>;
  readonly provider: Record<string, unknown[]>;
}

export function synthesize(cfg: MigrationConfig = config()): { json: string; stack: SynthesizedStack } {
  const app = Testing.app();
  const stack = new MigrationStack(app, cfg);
  const json = Testing.synth(stack);
  return { json, stack: JSON.parse(json) as SynthesizedStack };
}

/** Every resource of a type, whatever its logical id. */
export function resourcesOf(stack: SynthesizedStack, type: string): Record<string, unknown>[] {
  return Object.values(stack.resource[type] ?? {});
}

export function dataOf(stack: SynthesizedStack, type: string): Record<string, Record<string, unknown>> {
  return stack.data[type] ?? {};
}

export interface RenderedStatement {
  sid: string;
  effect: string;
  actions: string[];
  resources?: string[];
  principals?: { type: string; identifiers: string[] }[];
  condition?: { test: string; variable: string; values: string[] }[];
}

/** Logical ids are the construct path below the stack joined by '_', plus a hash. */
export function byConstructPath<T>(entries: Record<string, T>, constructPath: string): T {
  const prefix = `${constructPath.replace(/\//g, '_')}_`;
  const match = Object.entries(entries).filter(([id]) => id.startsWith(prefix) && /^[0-9A-F]{8}$/.test(id.slice(prefix.length)));
  const [only, ...others] = match;
  if (!only || others.length > 0) {
    throw new Error(`expected one element at ${constructPath}, found ${match.length} among ${Object.keys(entries).join(', ')}`);
  }
  return only[1];
}

/** The statements of the policy document at a construct path, e.g. MigrationKey/Policy. */
export function policyStatements(stack: SynthesizedStack, constructPath: string): RenderedStatement[] {
  return byConstructPath(dataOf(stack, 'aws_iam_policy_document'), constructPath).statement as RenderedStatement[];
}

export function statement(statements: RenderedStatement[], sid: string): RenderedStatement {
  const found = statements.find((s) => s.sid === sid);
  if (!found) throw new Error(`no statement '${sid}' among ${statements.map((s) => s.sid).join(', ')}`);
  return found;
}

export function conditionValues(s: RenderedStatement, test: string, variable: string): string[] | undefined {
  return s.condition?.find((c) => c.test === test && c.variable === variable)?.values;
}

/**
 * The value a synthesized "${jsonencode(...)}" argument encodes, as data, read by HashiCorp's HCL
 * parser (@cdktf/hcl2json): references stay "${...}" strings, as they would inside a JSON string.
 */
export async function jsonencodedValue(argument: unknown): Promise<unknown> {
  const inner = typeof argument === 'string' ? /^\$\{jsonencode\(([\s\S]*)\)\}$/.exec(argument) : null;
  if (!inner) throw new Error(`expected a "\${jsonencode(...)}" argument, got ${JSON.stringify(argument)}`);
  const parsed = await parse('jsonencoded.tf', `locals {\n  value = ${inner[1]}\n}\n`);
  return (parsed.locals as Record<string, unknown>[])[0]!.value;
}
