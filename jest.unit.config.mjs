// `npm run test:unit`: the tests that start no server and no child process (test/unit-tests.js says
// which and why), with the same transform and setup as the full run.
import base from './jest.config.js';
import selection from './test/unit-tests.js';

const { NOT_UNIT, UNIT_FILES, UNIT_FOLDERS } = selection;

/** @type {import('jest').Config} */
export default {
  ...base,
  testMatch: [...UNIT_FOLDERS.map((folder) => `<rootDir>/${folder}/**/*.test.ts`), ...UNIT_FILES.map((file) => `<rootDir>/${file}`)],
  testPathIgnorePatterns: ['/node_modules/', ...NOT_UNIT.map((file) => `<rootDir>/${file}`)],
};
