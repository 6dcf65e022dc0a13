// ESLint for the whole tree (`npm run lint`, part of `npm test`): typescript-eslint's
// recommendedTypeChecked set, so a promise nobody awaits, or a promise handed to something that
// expects a plain callback, fails the build instead of a run. Two deviations, each with its reason
// below; every other rule of the set is on everywhere.
import eslint from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: ['node_modules/', 'cdktf.out/', 'dist/', 'coverage/', '.gen/', '.sandbox/', '**/.terraform/'],
  },
  eslint.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Floating and misused promises are what this linter is here for: errors, whatever the set says.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // Off: an async function without await is how a handler implements a Promise-returning
      // interface (ServiceHandler, the SDK's RetryStrategyV2). Dropping `async` to please the rule
      // would turn its throws into synchronous throws, which is a change of behaviour.
      '@typescript-eslint/require-await': 'off',
      // As tsc's noUnusedLocals: a leading underscore marks a binding left unused on purpose, such
      // as the fields a rest destructuring leaves out.
      '@typescript-eslint/no-unused-vars': ['error', { varsIgnorePattern: '^_', argsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // Tests parse what the code under test wrote (JSON lines, state files, synthesized stacks,
    // XML) and assert on it with expect: the expect is the check, and declaring a type for every
    // document read back would add casts that check nothing. Product code keeps these rules.
    files: ['**/*.test.ts', 'test/**/support/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // The config files themselves are plain CommonJS / ESM outside tsconfig.json.
    files: ['**/*.{js,cjs,mjs}'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    files: ['**/*.{js,cjs}'],
    languageOptions: { sourceType: 'commonjs' },
  },
);
