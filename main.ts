// The cdktf app: one MigrationStack per environment config in stacks/environments; nothing else.
import { App } from 'cdktf';
import {
  ConfigError,
  environmentsDir as configuredEnvironmentsDir,
  listStacks,
  loadConfig,
  MigrationConfig,
  refuseLocalStateInCi,
  sharedStateProblems,
} from './stacks/config';
import { MigrationStack } from './stacks/migration-stack';
import { reportSynthErrors } from './stacks/synth-errors';

// Configs live in stacks/environments unless a team keeps them elsewhere.
const environmentsDir = configuredEnvironmentsDir();

/** Every config, validated before any construct is built; every problem of every config, or the configs. */
function loadEveryConfig(): { configs: MigrationConfig[]; errors: Error[] } {
  const names = listStacks(environmentsDir);
  if (names.length === 0) return { configs: [], errors: [new Error(`No stack configs (*.json) in ${environmentsDir}`)] };
  const configs: MigrationConfig[] = [];
  const errors: Error[] = [];
  for (const name of names) {
    try {
      const config = loadConfig(name, environmentsDir);
      // Here, where the app is built, not in loadConfig: tests, the demo and the runner load configs in CI too.
      refuseLocalStateInCi(config, process.env);
      configs.push(config);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      errors.push(error);
    }
  }
  // Only the app sees every config at once, so only it can tell two stacks apart that share one state object.
  errors.push(...sharedStateProblems(configs));
  return { configs, errors };
}

const { configs, errors } = loadEveryConfig();
if (errors.length > 0) {
  // Nothing is synthesized, not even the stacks without a problem: a partial synth would look like a whole one.
  process.exitCode = reportSynthErrors(errors, process.env);
} else {
  const app = new App();
  for (const config of configs) new MigrationStack(app, config);
  app.synth();
}
