// Starts the sandbox: builds the world (loaded from a state directory and/or seeded), registers
// the services, and listens on 127.0.0.1. Tests call startSandbox(); the CLI wraps it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FaultInjector, type FaultConfig } from './faults';
import { ServiceRegistry, type ServiceHandler } from './http/registry';
import { imitationsOf, type Imitation, type Imitations } from './imitations';
import { listen, LOOPBACK } from './http/server';
import { seedWorld, type SeedSpec, type SeedSummary } from './seed';
import { DEFAULT_SERVICES, type ServiceFactory } from './services';
import { loadState, saveState } from './state';
import { batchOperationsOf } from './s3control/sandbox-parts';
import { SandboxWorld, type SandboxWorldProps } from './world';

export interface SandboxOptions extends SandboxWorldProps {
  /** TCP port on 127.0.0.1. @default 0 (an ephemeral port) */
  readonly port?: number;
  /** Loads state from this directory when it holds a saved state; `save()` writes here by default. */
  readonly stateDir?: string;
  /** Builds a world after loading state. */
  readonly seed?: SeedSpec;
  readonly faults?: FaultConfig;
  /** Misbehaviours of a faulty endpoint, active from the start (see imitations.ts). @default none */
  readonly imitations?: readonly Imitation[];
  /** Services beyond S3, KMS and STS (issue 4: S3 Control, Glue, Athena). */
  readonly services?: readonly ServiceFactory[];
}

export interface Sandbox {
  /** `http://127.0.0.1:<port>`: the one endpoint of every service. */
  readonly endpoint: string;
  readonly port: number;
  readonly world: SandboxWorld;
  /** Change fault injection at runtime: `sb.faults.configure({ rules: [...] })`. */
  readonly faults: FaultInjector;
  /** Switch imitations at runtime: `sb.imitations.enable({ kind: 'copy-drops-attributes' })`, `.disable(kind)`, `.clear()`. */
  readonly imitations: Imitations;
  readonly registry: ServiceRegistry;
  readonly seedSummary?: SeedSummary;
  /** Saves the world to `dir` (default: the stateDir option). */
  save(dir?: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`'port' must be between 0 and 65535. Received: ${port}`);
  const world = new SandboxWorld(options);
  // Before seeding, so a misspelt imitation fails at once.
  const imitations = imitationsOf(world);
  imitations.configure(options.imitations ?? []);
  // Services first: they attach their own state parts (Glue...) to the world, which loading fills.
  const registry = new ServiceRegistry();
  for (const factory of [...DEFAULT_SERVICES, ...(options.services ?? [])]) registry.register(factory(world));
  if (options.stateDir !== undefined && existsSync(join(options.stateDir, 'state.json'))) await loadState(world, options.stateDir);
  const seedSummary = options.seed ? seedWorld(world, options.seed) : undefined;
  const faults = new FaultInjector(options.faults);
  // Batch Operations tasks ask the same fault injection whether KMS throttles them (503 SlowDown).
  batchOperationsOf(world).useFaults(faults);
  const server = await listen(registry, faults, port);
  return {
    endpoint: `http://${LOOPBACK}:${server.port}`,
    port: server.port,
    world,
    faults,
    imitations,
    registry,
    ...(seedSummary ? { seedSummary } : {}),
    save: async (dir) => {
      const target = dir ?? options.stateDir;
      if (target === undefined) throw new RangeError('save() needs a directory: pass one or start the sandbox with stateDir');
      await saveState(world, target);
    },
    stop: () => server.close(),
  };
}

export type { ServiceHandler };
