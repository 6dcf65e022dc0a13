// The cdktf app: one MigrationStack per environment config in stacks/environments; nothing else.
import { App } from 'cdktf';
import { ConfigError, defaultEnvironmentsDir, listStacks, loadConfig } from './stacks/config';
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
      return loadConfig(name, environmentsDir);
    } catch (error) {
      if (error instanceof ConfigError) return error;
      throw error;
    }
  });
  const errors = configs.filter((c): c is ConfigError => c instanceof ConfigError);
  if (errors.length > 0) {
    throw new AggregateError(errors, errors.map((e) => e.message).join('\n'));
  }
  for (const config of configs) {
    if (!(config instanceof ConfigError)) new MigrationStack(app, config);
  }
  app.synth();
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
}
