// The cdktf app: one MigrationStack per environment config in stacks/environments; nothing else.
import { App } from 'cdktf';
import { ConfigError, listStacks, loadConfig } from './stacks/config';
import { MigrationStack } from './stacks/migration-stack';

const app = new App();
try {
  // Every config is validated before any construct is built, and all problems are reported together.
  const configs = listStacks().map((name) => {
    try {
      return loadConfig(name);
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
