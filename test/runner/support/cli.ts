// Test support: the runner's CLI as a pipeline step runs it against a migration world: endpoint and
// credentials from the environment, stdout and stderr captured, the environment restored after.
import { main } from '../../../runner/cli';
import type { MigrationWorld } from './migration-world';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `migrate <args> --stack <world's> --outputs-file <world's> --json`, with `env` set for the run. */
export async function runCli(
  world: MigrationWorld,
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((c) => ((stdout += String(c)), true));
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((c) => ((stderr += String(c)), true));
  const set = { AWS_ENDPOINT_URL: world.sandbox.endpoint, AWS_ACCESS_KEY_ID: 'AKIDCLITEST', AWS_SECRET_ACCESS_KEY: 'secret', ...env };
  const saved = Object.fromEntries(Object.keys(set).map((k) => [k, process.env[k]]));
  Object.assign(process.env, set);
  try {
    const code = await main([...args, '--stack', world.stack, '--outputs-file', world.outputsFile, '--json']);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
