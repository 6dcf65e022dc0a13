// Which tests `npm run test:unit` runs: those that start nothing (no sandbox, no moto, no terraform,
// no child process, no browser), so core logic, config, parsers and renderers answer in about a
// minute. A test that listens on a port or spawns stays out; `npm test` runs every test either way.
// jest.unit.config.mjs selects these, and test/unit-selection.test.ts holds every one to that rule.

/** Folders whose every test is in-process, but for NOT_UNIT. */
const UNIT_FOLDERS = ['test/runner/core', 'test/stacks'];

/** In-process tests in folders that also hold tests against a server. */
const UNIT_FILES = [
  'test/unit-selection.test.ts',
  'test/runner/aws/athena-poll.test.ts',
  'test/runner/aws/errors.test.ts',
  'test/runner/aws/version-call.test.ts',
  'test/runner/aws/retry-strategy.test.ts',
  'test/runner/build-info.test.ts',
  'test/runner/downstream-assessment.test.ts',
  'test/runner/events-doc.test.ts',
  'test/runner/out-file.test.ts',
  'test/runner/output.test.ts',
  'test/runner/result.test.ts',
  'test/runner/runner-output.test.ts',
  'test/runner/stack-outputs.test.ts',
  'test/bench/growth.test.ts',
  'test/bench/moto-targets.test.ts',
  'test/bench/phases.test.ts',
  'test/bench/targets.test.ts',
  'test/bench/time-output.test.ts',
  'test/rehearsal/demo-guide.test.ts',
  'test/rehearsal/terraform/plan.test.ts',
  'sandbox/athena/csv.test.ts',
  'sandbox/athena/partition-pruning.test.ts',
  'sandbox/s3control/manifest.test.ts',
  'sandbox/s3/body-files.test.ts',
  'sandbox/s3/key-index.test.ts',
];

/** Tests inside UNIT_FOLDERS that run terraform or a child process. */
const NOT_UNIT = ['test/stacks/synth-cli.test.ts', 'test/stacks/synth-hcl.test.ts', 'test/stacks/plan-guard/cli.test.ts'];

/** Whether the test at `file` (relative to the repository root, with `/`) is a unit test. */
function isUnitTest(file) {
  if (NOT_UNIT.includes(file)) return false;
  return UNIT_FILES.includes(file) || UNIT_FOLDERS.some((folder) => file.startsWith(`${folder}/`));
}

module.exports = { UNIT_FOLDERS, UNIT_FILES, NOT_UNIT, isUnitTest };
