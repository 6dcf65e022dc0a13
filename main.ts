// The cdktf app: one MigrationStack per environment config in stacks/environments; nothing else.
import { App } from 'cdktf';
import {
  ConfigError,
  defaultEnvironmentsDir,
  listStacks,
  loadConfig,
  MigrationConfig,
  refuseLocalStateInCi,
  sharedStateProblems,
} from './stacks/config';
import { MigrationStack } from './stacks/migration-stack';

// Configs live in stacks/environments unless a team keeps them elsewhere.
const environmentsDir = process.env.KMS_MIGRATION_CONFIG_DIR ?? defaultEnvironmentsDir();

const app = new App();
try {
  // Every config is validated before any construct is built, and all problems are reported together.
  const names = listStacks(environmentsDir);
  if (names.length === 0) throw new Error(`No stack configs (*.json) in ${environmentsDir}`);
  const configs = names.map((name) => {
    try {
      const config = loadConfig(name, environmentsDir);
      // Here, where the app is built, not in loadConfig: tests, the demo and the runner load configs in CI too.
      refuseLocalStateInCi(config, process.env);
      return config;
    } catch (error) {
      if (error instanceof ConfigError) return error;
      throw error;
    }
  });
  const loaded = configs.filter((c): c is MigrationConfig => !(c instanceof ConfigError));
  // Only the app sees every config at once, so only it can tell two stacks apart that share one state object.
  const errors = [...configs.filter((c): c is ConfigError => c instanceof ConfigError), ...sharedStateProblems(loaded)];
  if (errors.length > 0) {
    throw new AggregateError(errors, errors.map((e) => e.message).join('\n'));
  }
  for (const config of loaded) new MigrationStack(app, config);
  app.synth();
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
}
