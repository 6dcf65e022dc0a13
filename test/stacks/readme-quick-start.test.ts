// The README's quick start config is a real config: the loader takes it as written, so the example cannot rot.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '../../stacks/config';

const README = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');

/** The first ```json block of the README section with this heading. */
function firstJsonBlockOf(heading: string): string {
  const start = README.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`README has no section '## ${heading}'`);
  const end = README.indexOf('\n## ', start + 1);
  const section = README.slice(start, end < 0 ? undefined : end);
  const block = /```json\n([\s\S]*?)```/.exec(section);
  if (!block) throw new Error(`README section '${heading}' has no json block`);
  return block[1]!;
}

describe('README quick start', () => {
  const text = firstJsonBlockOf('Migrate your own account');

  it('gives a config the loader accepts as it stands, duplicate keys checked too', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-config-'));
    fs.writeFileSync(path.join(dir, 'prod.json'), text);
    const config = loadConfig('prod', dir);
    expect(config.buckets.map((b) => b.name)).toEqual(['acme-prod-uploads']);
    expect(config.backend).toMatchObject({ type: 's3' });
  });

  it('names in key.users the runner role that the quick start attaches the policy to', () => {
    const config = JSON.parse(text) as { key: { users: string[] } };
    const role = /aws iam put-role-policy --role-name (\S+)/.exec(README)?.[1];
    expect(role).toBeDefined();
    expect(config.key.users.some((u) => u.endsWith(`:role/${role}`))).toBe(true);
  });

  it('deploys before it runs: the Deploy section comes before Running the migration', () => {
    expect(README.indexOf('\n## Deploy\n')).toBeGreaterThan(0);
    expect(README.indexOf('\n## Deploy\n')).toBeLessThan(README.indexOf('\n## Running the migration\n'));
    expect(README.indexOf('\n## Migrate your own account\n')).toBeLessThan(README.indexOf('\n## Configuration\n'));
  });
});
