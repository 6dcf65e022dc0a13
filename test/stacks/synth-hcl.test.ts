// The documented exit from CDKTF: `cdktf synth --hcl` writes, for every stack, Terraform that parses, formats and keeps the JSON stack's addresses and the key's protection.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { listStacks, loadConfig } from '../../stacks/config';
import { runTerraform } from '../terraform-modules/harness';
import { valueAt } from '../terraform-modules/parity';
import { synthesize } from './builders';

const ROOT = path.resolve(__dirname, '../..');
const ENV = { ...process.env, CI: '1', CHECKPOINT_DISABLE: '1' };

/** `type.name` of every resource and `data.type.name` of every data source in a Terraform document. */
function addresses(document: Record<string, unknown>): string[] {
  const found: string[] = [];
  for (const [kind, prefix] of [
    ['resource', ''],
    ['data', 'data.'],
  ] as const) {
    for (const [type, byName] of Object.entries((document[kind] ?? {}) as Record<string, Record<string, unknown>>)) {
      for (const name of Object.keys(byName)) found.push(`${prefix}${type}.${name}`);
    }
  }
  return found.sort();
}

describe('cdktf synth --hcl', () => {
  let out: string;
  beforeAll(() => {
    // One synth of every stack (about 7 s on the 2-core build machine) serves every test below.
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-hcl-'));
    execFileSync(path.join(ROOT, 'node_modules/.bin/cdktf'), ['synth', '--hcl', '--output', out], { cwd: ROOT, env: ENV, stdio: 'pipe' });
  });
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  const hclFile = (stack: string) => path.join(out, 'stacks', stack, 'cdk.tf');

  it('writes cdktf.out/stacks/<stack>/cdk.tf for every environment', () => {
    const written = fs.readdirSync(path.join(out, 'stacks')).filter((stack) => fs.existsSync(hclFile(stack)));
    expect(written.sort()).toEqual([...listStacks()].sort());
  });

  describe.each(listStacks())('stack %s', (stack) => {
    it('is HCL that terraform fmt formats, after which terraform fmt -check passes', () => {
      // The converter writes references as "${aws_x.y.z}", which terraform fmt rewrites to aws_x.y.z,
      // so the raw file never passes -check; what must hold is that fmt can parse and format it.
      // A parse error (an unescaped backslash, a JSON string losing its escapes) fails the first run.
      const file = hclFile(stack);
      const formatted = runTerraform(['fmt', '-no-color', file], out);
      // stderr rides along so that a failure shows terraform's diagnostics, with file and line.
      expect({ status: formatted.status, stderr: formatted.stderr }).toEqual({ status: 0, stderr: expect.any(String) });
      const check = runTerraform(['fmt', '-check', '-no-color', file], out);
      expect({ status: check.status, unformatted: check.stdout }).toEqual({ status: 0, unformatted: '' });
    });

    it('declares the same resource and data source addresses as the JSON stack', async () => {
      const hcl = await parse('cdk.tf', fs.readFileSync(hclFile(stack), 'utf8'));
      const json = synthesize(loadConfig(stack)).stack as unknown as Record<string, unknown>;
      expect(addresses(hcl)).toEqual(addresses(json));
    });

    it('keeps prevent_destroy on the key and its alias', async () => {
      const hcl = await parse('cdk.tf', fs.readFileSync(hclFile(stack), 'utf8'));
      const resources = hcl.resource as Record<string, Record<string, unknown[]>>;
      for (const type of ['aws_kms_key', 'aws_kms_alias']) {
        const bodies = Object.values(resources[type] ?? {});
        expect([type, bodies.length]).toEqual([type, 1]);
        expect([type, valueAt(bodies[0], 'lifecycle.prevent_destroy')]).toEqual([type, true]);
      }
    });
  });
});
