// modules/policy-document's statement type and checks, run by terraform offline on every statement list the module builds, and on bad statements.
// The helper's data source needs the aws provider (not downloadable here), so a copy holding only
// its variables.tf is called: type conversion and validation blocks run without any provider.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '../../stacks/config';
import { MODULE_DIR, evaluateModuleData, moduleInputs, runTerraform } from './harness';

/** Calls a provider-free copy of policy-document once per statement list; returns terraform's errors or ''. */
function checkStatements(lists: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kms-policy-document-'));
  try {
    fs.mkdirSync(path.join(dir, 'helper'));
    fs.copyFileSync(path.join(MODULE_DIR, 'modules', 'policy-document', 'variables.tf'), path.join(dir, 'helper', 'variables.tf'));
    const calls = Object.fromEntries(Object.entries(lists).map(([name, statements]) => [name, { source: './helper', statements }]));
    fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify({ module: calls }).split('${').join('$${'));
    for (const args of [
      ['init', '-input=false', '-no-color'],
      ['apply', '-auto-approve', '-input=false', '-no-color', '-lock=false'],
    ]) {
      const run = runTerraform(args, dir);
      if (run.status !== 0) return `${run.stderr}${run.stdout}`.replace(/\s+/g, ' ');
    }
    return '';
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const allow = (sid: string, actions: string[]) => ({ sid, effect: 'Allow', actions, resources: ['*'] });

it('accepts every statement list the module builds for prod and demo', async () => {
  const lists: Record<string, unknown> = {};
  for (const env of ['prod', 'demo']) {
    const result = await evaluateModuleData(moduleInputs(loadConfig(env)));
    if ('error' in result) throw new Error(result.error);
    const l = result.locals;
    const own = l.own_bucket_policy_statements as Record<string, unknown>;
    Object.assign(lists, {
      [`${env}_key`]: l.key_policy_statements,
      [`${env}_inventory`]: own.inventory,
      [`${env}_reports`]: own.reports,
      [`${env}_trust`]: l.batch_operations_trust_statements,
      [`${env}_permissions`]: l.batch_operations_permission_statements,
      [`${env}_topic`]: l.key_alarm_topic_statements,
      ...Object.fromEntries(
        Object.entries(l.migrated_bucket_policy_statements as Record<string, unknown>).map(([b, s]) => [
          `${env}_${b.replace(/\W/g, '_')}`,
          s,
        ]),
      ),
    });
  }
  expect(checkStatements(lists)).toBe('');
});

it('refuses a wildcard Allow, a repeated sid, a sid with punctuation and a statement without actions', () => {
  const errors = checkStatements({
    wildcard: [allow('ReadEverything', ['s3:Get*'])],
    repeated: [allow('Same', ['s3:GetObject']), allow('Same', ['s3:PutObject'])],
    punctuation: [allow('Not-Alphanumeric', ['s3:GetObject'])],
    empty: [allow('NoActions', [])],
  });
  expect(errors).toMatch(/an Allow statement grants a wildcard action/);
  expect(errors).toMatch(/a sid is used twice in one policy/);
  expect(errors).toMatch(/must be alphanumeric/);
  expect(errors).toMatch(/a statement has no actions/);
});
