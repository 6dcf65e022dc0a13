// Jest runs TypeScript through ts-jest in transpile-only mode: `npm test` type-checks the whole
// tree once with `tsc --noEmit` first, so per-file type-checking here would only cost time.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/sandbox'],
  testMatch: ['**/*.test.ts'],
  setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', transpilation: true }],
  },
  testTimeout: 120000,
};
