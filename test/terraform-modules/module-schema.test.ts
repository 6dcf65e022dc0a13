// What `terraform validate` would catch, checked without the provider: argument names against the provider's bindings, references to declared names, module inputs.
// The hashicorp/aws provider cannot be downloaded here (no network), so `terraform validate` cannot run;
// @cdktf/provider-aws 21.22.1 wraps hashicorp/aws 6.25.0 and documents every argument with a registry
// anchor (".../resources/s3_bucket_inventory#included_object_versions"), which these tests read.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HclBlock, HclJson, MODULE_DIR, blocksOf, moduleCalls, parseModuleFiles } from './harness';

const PROVIDER_LIB = path.join(__dirname, '..', '..', 'node_modules', '@cdktf', 'provider-aws', 'lib');
const META_ARGUMENTS = new Set(['for_each', 'count', 'depends_on', 'lifecycle', 'provider', 'dynamic', 'content']);

/** Every argument and block name the provider documents for one resource or data source type. */
function providerArguments(kind: 'resource' | 'data', type: string): Set<string> {
  const base = type.replace(/^aws_/, '').replace(/_/g, '-');
  const file = path.join(PROVIDER_LIB, kind === 'data' ? `data-aws-${base}` : base, 'index.d.ts');
  const docs = kind === 'data' ? 'data-sources' : 'resources';
  const text = fs.readFileSync(file, 'utf8');
  const anchor = new RegExp(`${docs}/${type.replace(/^aws_/, '')}#([a-z0-9_]+)`, 'g');
  return new Set([...text.matchAll(anchor)].map((m) => m[1]!));
}

/** Argument and block names used in a block body, nested blocks and dynamic blocks included. */
function argumentNames(body: unknown, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(body)) {
    for (const item of body) argumentNames(item, into);
    return into;
  }
  if (body === null || typeof body !== 'object') return into;
  for (const [key, value] of Object.entries(body)) {
    if (key === 'dynamic') {
      for (const [blockName, generators] of Object.entries(value as Record<string, { content: unknown }[]>)) {
        into.add(blockName);
        for (const g of generators) argumentNames(g.content, into);
      }
      continue;
    }
    if (META_ARGUMENTS.has(key)) continue;
    into.add(key);
    // Map-valued arguments (parameters, tags) hold data, not arguments.
    if (typeof value === 'object' && Array.isArray(value)) argumentNames(value, into);
  }
  return into;
}

/** Every "${...}" expression text in a parsed file. */
function expressions(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string') into.push(...[...value.matchAll(/\$\{(.*?)\}(?!")/gs)].map((m) => m[1]!), value);
  else if (Array.isArray(value)) value.forEach((v) => expressions(v, into));
  else if (value !== null && typeof value === 'object') Object.values(value).forEach((v) => expressions(v, into));
  return into;
}

let root: Map<string, HclJson>;
let blocks: HclBlock[];
beforeAll(async () => {
  root = await parseModuleFiles(MODULE_DIR);
  blocks = [...blocksOf(root), ...blocksOf(await parseModuleFiles(path.join(MODULE_DIR, 'modules', 'policy-document')))];
});

/** Argument names of the blocks that the provider does not document, as "kind.type.name: argument". */
function unknownArguments(of: readonly HclBlock[]): string[] {
  const unknown: string[] = [];
  for (const block of of) {
    const known = providerArguments(block.kind, block.type);
    for (const name of argumentNames(block.body)) {
      if (!known.has(name)) unknown.push(`${block.kind}.${block.type}.${block.name}: ${name}`);
    }
  }
  return unknown;
}

describe('argument names', () => {
  it('uses only argument names the aws provider 6.25 documents for each resource and data source', () => {
    expect(unknownArguments(blocks)).toEqual([]);
  });

  it('reports a misspelled argument, also inside a nested and a dynamic block', () => {
    const misspelt: HclBlock[] = [
      {
        kind: 'resource',
        type: 'aws_s3_bucket_server_side_encryption_configuration',
        name: 'x',
        body: { bucket: 'b', rule: [{ bucket_keys_enabled: true }] },
      },
      {
        kind: 'resource',
        type: 'aws_s3_bucket_inventory',
        name: 'y',
        body: { dynamic: { filter: [{ for_each: '${[]}', content: [{ prefixes: 'p' }] }] } },
      },
    ];
    expect(unknownArguments(misspelt)).toEqual([
      'resource.aws_s3_bucket_server_side_encryption_configuration.x: bucket_keys_enabled',
      'resource.aws_s3_bucket_inventory.y: prefixes',
    ]);
  });
});

/** References in the parsed files to names no file declares. */
function undeclaredReferences(files: Map<string, HclJson>): string[] {
  const declared = new Set<string>();
  for (const json of files.values()) {
    for (const name of Object.keys(json.variable ?? {})) declared.add(`var.${name}`);
    for (const locals of (json.locals ?? []) as Record<string, unknown>[])
      for (const name of Object.keys(locals)) declared.add(`local.${name}`);
    for (const name of Object.keys(json.module ?? {})) declared.add(`module.${name}`);
  }
  for (const b of blocksOf(files)) declared.add(b.kind === 'data' ? `data.${b.type}.${b.name}` : `${b.type}.${b.name}`);
  const text = [...files.values()].flatMap((json) => expressions(json)).join('\n');
  const used = new Set(
    [...text.matchAll(/(?<![\w.])(var\.\w+|local\.\w+|module\.\w+|data\.aws_\w+\.\w+|aws_\w+\.\w+)/g)].map((m) => m[1]!),
  );
  return [...used].filter((u) => !declared.has(u)).sort();
}

describe('references', () => {
  it('refers only to declared variables, locals, resources, data sources and modules', () => {
    expect(undeclaredReferences(root)).toEqual([]);
  });

  it('reports a reference to an undeclared variable and resource', () => {
    const files = new Map(root);
    files.set('drift.tf', { locals: [{ drifted: '${var.kms_key_aliases}-${aws_kms_key.that.arn}' }] });
    expect(undeclaredReferences(files)).toEqual(['aws_kms_key.that', 'var.kms_key_aliases']);
  });
});

describe('module calls', () => {
  const inputsOf = (json: HclJson) =>
    Object.entries((json.variable ?? {}) as Record<string, Record<string, unknown>[]>).map(([name, [body]]) => ({
      name,
      required: !('default' in body!),
    }));

  it('pass policy-document exactly its variables, the required ones always', async () => {
    const helper = await parseModuleFiles(path.join(MODULE_DIR, 'modules', 'policy-document'));
    const inputs = inputsOf(helper.get('variables.tf')!);
    for (const [name, body] of moduleCalls(root)) {
      const given = Object.keys(body).filter((k) => !['source', 'for_each', 'count', 'depends_on', 'providers'].includes(k));
      expect({ name, unknown: given.filter((g) => !inputs.some((i) => i.name === g)) }).toEqual({ name, unknown: [] });
      expect({ name, missing: inputs.filter((i) => i.required && !given.includes(i.name)).map((i) => i.name) }).toEqual({
        name,
        missing: [],
      });
    }
  });

  it.each(['basic', 'existing-policies'])('in examples/%s give the module known inputs and every required one', async (example) => {
    const inputs = inputsOf(root.get('variables.tf')!);
    const files = await parseModuleFiles(path.join(MODULE_DIR, 'examples', example));
    const [body] = [...moduleCalls(files).values()];
    const given = Object.keys(body!).filter((k) => k !== 'source');
    expect(given.filter((g) => !inputs.some((i) => i.name === g))).toEqual([]);
    expect(inputs.filter((i) => i.required && !given.includes(i.name)).map((i) => i.name)).toEqual([]);
  });
});
