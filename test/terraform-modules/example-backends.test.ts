// The module's examples keep state as the stacks do: in S3, locked by Terraform's lock file, one key per stack.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from '../../stacks/config';
import { MODULE_DIR, moduleCalls, parseModuleFiles } from './harness';

const EXAMPLES_DIR = path.join(MODULE_DIR, 'examples');
const examples = fs.readdirSync(EXAMPLES_DIR).filter((d) => !d.startsWith('.'));

interface TerraformBlock {
  readonly required_version?: string;
  readonly backend?: Record<string, Record<string, unknown>[]>;
}

/** The example's one `terraform` block that declares a backend, failing loudly when there is none or several. */
async function backendBlock(example: string): Promise<{ terraform: TerraformBlock; type: string; settings: Record<string, unknown> }> {
  const files = await parseModuleFiles(path.join(EXAMPLES_DIR, example));
  const blocks = [...files.values()].flatMap((f) => (f.terraform ?? []) as TerraformBlock[]).filter((t) => t.backend);
  if (blocks.length !== 1) throw new Error(`${example}: expected one terraform block with a backend, found ${blocks.length}`);
  const [type, bodies] = Object.entries(blocks[0]!.backend!)[0]!;
  return { terraform: blocks[0]!, type, settings: bodies[0]! };
}

describe.each(examples)('example %s', (example) => {
  it('keeps its state in S3, locked by the lock file, encrypted, under the key of its stack', async () => {
    const { type, settings } = await backendBlock(example);
    const call = moduleCalls(await parseModuleFiles(path.join(EXAMPLES_DIR, example))).get('kms_migration')!;
    expect(type).toBe('s3');
    expect(settings).toEqual({
      bucket: expect.stringMatching(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/),
      key: `kms-migration/${String(call.stack)}/terraform.tfstate`,
      region: call.region,
      encrypt: true,
      use_lockfile: true,
    });
  });

  it('requires Terraform 1.10 or newer, which has the S3 lock file', async () => {
    const { terraform } = await backendBlock(example);
    expect(terraform.required_version).toBe('>= 1.10');
  });
});

it('keeps existing-policies, the prod example, in the state of the prod stack, so leaving CDKTF moves no state file', async () => {
  const { settings } = await backendBlock('existing-policies');
  const prod = loadConfig('prod').backend;
  expect(prod.type).toBe('s3');
  expect({ type: 's3', ...settings }).toEqual({ ...prod, use_lockfile: true });
});
