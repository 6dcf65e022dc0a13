// The moved blocks from each environment's CDKTF stack into the module: one per resource, onto declared, distinct module addresses, formatted HCL.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { loadConfig } from '../../stacks/config';
import { movedBlocks, moduleAddress, renderMovedBlocks } from '../../terraform-modules/tools/moved-blocks';
import { config, synthesize } from '../stacks/builders';
import { MODULE_DIR, blocksOf, parseModuleFiles, runTerraform } from './harness';

describe.each(['demo', 'dev', 'prod'])('moving the %s stack into the module', (env) => {
  const config = loadConfig(env);
  const { stack } = synthesize(config);
  const blocks = movedBlocks(stack);

  it('moves every managed resource once, onto distinct addresses', () => {
    const resources = Object.entries(stack.resource).flatMap(([type, byId]) => Object.keys(byId).map((id) => `${type}.${id}`));
    expect(blocks.map((b) => b.from).sort()).toEqual(resources.sort());
    expect(new Set(blocks.map((b) => b.to)).size).toBe(blocks.length);
  });

  it('targets resources the module declares, keyed by its own keys', async () => {
    const declared = new Set(
      blocksOf(await parseModuleFiles(MODULE_DIR))
        .filter((b) => b.kind === 'resource')
        .map((b) => `${b.type}.${b.name}`),
    );
    const buckets = config.buckets.map((b) => b.name);
    for (const { to } of blocks) {
      const [, address, index] = /^module\.kms_migration\.(\w+\.\w+)(?:\[(.+)\])?$/.exec(to)!;
      expect(declared).toContain(address);
      if (index === undefined || index === '0') continue;
      const allowed = [...buckets, 'inventory', 'reports', ...config.alarm.emails].map((k) => JSON.stringify(k));
      expect(allowed).toContain(index);
    }
  });
});

it("moves each AWS Config rule onto the module's rule of the bucket it watches", () => {
  const { stack } = synthesize(config({ compliance: { awsConfigRule: true } }));
  const rules = movedBlocks(stack).filter((b) => b.from.startsWith('aws_config_config_rule.'));
  expect(rules.map((b) => b.to).sort()).toEqual([
    'module.kms_migration.aws_config_config_rule.this["data-bucket"]',
    'module.kms_migration.aws_config_config_rule.this["logs-bucket"]',
  ]);
  expect(() => moduleAddress('aws_config_config_rule', 'Rule_0A1B2C3D', {})).toThrow(/no bucket in its scope/);
});

it('refuses a resource type the module has no address for', () => {
  expect(() => moduleAddress('aws_s3_bucket_replication_configuration', 'Replication_0A1B2C3D', {})).toThrow(/no counterpart known/);
});

it('writes HCL that parses and that terraform fmt leaves unchanged', async () => {
  const text = renderMovedBlocks(movedBlocks(synthesize(loadConfig('prod')).stack));
  const parsed = await parse('moved.tf', text);
  expect((parsed.moved as unknown[]).length).toBeGreaterThan(30);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kms-moved-'));
  try {
    fs.writeFileSync(path.join(dir, 'moved.tf'), text);
    expect(runTerraform(['fmt', '-check', '-no-color', 'moved.tf'], dir).status).toBe(0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
