// Reading a plan file: anything that is not a readable Terraform JSON plan is refused, naming the file and what to run.
import * as os from 'node:os';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { PlanFileError, parsePlan, readPlanFile } from '../../../stacks/plan-guard/plan-json';
import { fixturePath } from './builders';

function refusal(read: () => unknown): PlanFileError {
  try {
    read();
  } catch (error) {
    if (error instanceof PlanFileError) return error;
    throw error;
  }
  throw new Error('expected a PlanFileError, but the file was accepted');
}

describe('reading a plan file', () => {
  it('refuses a file that is not JSON, naming the file and the command that makes one', () => {
    const file = fixturePath('truncated.json');
    const error = refusal(() => readPlanFile(file));
    expect(error.message).toContain(file);
    expect(error.message).toContain('not JSON');
    expect(error.message).toContain('terraform show -json plan.out > plan.json');
  });

  it('refuses a file that does not exist', () => {
    const file = path.join(os.tmpdir(), 'no-such-plan.json');
    expect(refusal(() => readPlanFile(file)).problem).toBe('no such file');
  });

  it('refuses the JSON of a state, which plans nothing', () => {
    expect(refusal(() => readPlanFile(fixturePath('not-a-plan-state.json'))).problem).toContain('a Terraform state, not a plan');
  });

  it('refuses a format_version of another major version', () => {
    expect(refusal(() => readPlanFile(fixturePath('format-version-2.json'))).problem).toContain('format_version is "2.0"');
  });

  it('refuses a plan that errored', () => {
    expect(refusal(() => readPlanFile(fixturePath('errored.json'))).problem).toContain('the plan errored');
  });

  it('refuses a plan without resource_changes', () => {
    expect(refusal(() => parsePlan('p.json', '{"format_version":"1.2","planned_values":{}}')).problem).toContain(
      'resource_changes is missing',
    );
  });

  it('refuses a plan that lists no resource change: nothing examined is not a pass', () => {
    expect(refusal(() => parsePlan('p.json', '{"format_version":"1.2","resource_changes":[]}')).problem).toContain(
      'resource_changes is empty',
    );
  });

  it('names the path of a malformed resource change', () => {
    const text = JSON.stringify({
      format_version: '1.2',
      resource_changes: [{ address: 'a.b', mode: 'managed', type: 'a', name: 'b', change: { actions: 'delete' } }],
    });
    expect(refusal(() => parsePlan('p.json', text)).problem).toContain('resource_changes[0].change.actions');
  });

  it('refuses a directory', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-guard-'));
    try {
      expect(refusal(() => readPlanFile(dir)).problem).toBe('a directory, not a file');
    } finally {
      fs.rmdirSync(dir);
    }
  });

  it('reads a newer minor version and ignores properties it does not know', () => {
    const text = JSON.stringify({
      format_version: '1.9',
      resource_changes: [
        { address: 'a.b', mode: 'managed', type: 'a', name: 'b', change: { actions: ['no-op'], before_identity: {} }, future: true },
      ],
      deferred_action_invocations: [],
    });
    expect(parsePlan('p.json', text).resource_changes).toHaveLength(1);
  });
});
