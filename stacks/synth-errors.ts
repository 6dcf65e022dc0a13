// Reports the errors that stop the app (bad configs) once: as the cdktf CLI's own error annotations under the CLI, on stderr otherwise.
import { Annotations, App, TerraformStack } from 'cdktf';

/**
 * The stack that carries configuration errors to the CLI. Upper-case, so that no config file can
 * name a stack the same (stack names are lower-case), and it declares no resource.
 */
export const CONFIG_ERRORS_STACK = 'ConfigurationErrors';

/**
 * Whether the cdktf CLI runs the app. The CLI sets this variable for every synth (`synth`, `diff`,
 * `deploy`), telling the app that it prints error annotations itself and fails on them.
 */
export function runByCdktfCli(env: NodeJS.ProcessEnv): boolean {
  return env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS !== undefined;
}

/**
 * Reports errors that stop the app and returns its exit code.
 *
 * The CLI shows whatever the app writes, on stdout or stderr, twice when the app fails: once as
 * it streams, once again in its "cdktf encountered an error while synthesizing" summary. Under the
 * CLI the errors are therefore error annotations of one stack without resources, which the CLI
 * prints once, then fails the synth on (exit 1); the app itself exits 0. Run directly (tests, the
 * demo, `npx tsx main.ts`), they go to stderr and the app exits 1.
 */
export function reportSynthErrors(
  errors: readonly Error[],
  env: NodeJS.ProcessEnv,
  stderr: Pick<NodeJS.WriteStream, 'write'> = process.stderr,
): number {
  if (!runByCdktfCli(env)) {
    stderr.write(`${errors.map((e) => e.message).join('\n')}\n`);
    return 1;
  }
  // Stack traces would point into this file, not at the config; the message names the file and field.
  const app = new App({ stackTraces: false });
  const stack = new TerraformStack(app, CONFIG_ERRORS_STACK);
  for (const error of errors) Annotations.of(stack).addError(error.message);
  app.synth();
  return 0;
}
