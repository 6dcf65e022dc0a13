// Starts the sandbox: composes its services (SandboxServices), loads and/or seeds the world,
// registers the service handlers, and listens on 127.0.0.1. Tests call startSandbox(); the CLI wraps it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SandboxServices, type SandboxServicesProps } from './composition';
import { ServiceRegistry, type ServiceHandler } from './http/registry';
import { listen, LOOPBACK } from './http/server';
import { seedWorld, type SeedSpec, type SeedSummary } from './seed';
import { DEFAULT_SERVICES, type ServiceFactory } from './services';
import { loadState, saveState } from './state';

export interface SandboxOptions extends SandboxServicesProps {
  /** TCP port on 127.0.0.1. @default 0 (an ephemeral port) */
  readonly port?: number;
  /** Loads state from this directory when it holds a saved state; `save()` writes here by default. */
  readonly stateDir?: string;
  /** Builds a world after loading state. */
  readonly seed?: SeedSpec;
  /** Services served besides the default ones (services.ts), each built over the composed parts. @default none */
  readonly services?: readonly ServiceFactory[];
}

/**
 * A running sandbox. The parts it owns are those of SandboxServices: `world`, `faults`
 * (`sb.faults.configure({ rules: [...] })`), `imitations` (`sb.imitations.enable({ kind })`),
 * `batchOperations`, `accessPoints`, `glue` and `athena`.
 */
export interface Sandbox extends SandboxServices {
  /** `http://127.0.0.1:<port>`: the one endpoint of every service. */
  readonly endpoint: string;
  readonly port: number;
  readonly registry: ServiceRegistry;
  readonly seedSummary?: SeedSummary;
  /** Saves the world to `dir` (default: the stateDir option). */
  save(dir?: string): Promise<void>;
  /** Closes the server and stops the Batch Operations clock. */
  stop(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`'port' must be between 0 and 65535. Received: ${port}`);
  // Every part exists before loading: the parts register their own state (Glue) with the world.
  const services = new SandboxServices(options);
  const { world, faults } = services;
  const registry = new ServiceRegistry();
  for (const factory of [...DEFAULT_SERVICES, ...(options.services ?? [])]) registry.register(factory(services));
  if (options.stateDir !== undefined && existsSync(join(options.stateDir, 'state.json'))) await loadState(world, options.stateDir);
  const seedSummary = options.seed ? seedWorld(world, options.seed) : undefined;
  const server = await listen(registry, faults, port);
  return {
    world,
    faults,
    imitations: services.imitations,
    batchOperations: services.batchOperations,
    accessPoints: services.accessPoints,
    glue: services.glue,
    athena: services.athena,
    endpoint: `http://${LOOPBACK}:${server.port}`,
    port: server.port,
    registry,
    ...(seedSummary ? { seedSummary } : {}),
    save: async (dir) => {
      const target = dir ?? options.stateDir;
      if (target === undefined) throw new RangeError('save() needs a directory: pass one or start the sandbox with stateDir');
      await saveState(world, target);
    },
    stop: async () => {
      // The jobs' clock would otherwise keep the process alive after the server is gone.
      services.batchOperations.stop();
      await server.close();
      services.athena.dispose();
      world.s3.dispose();
    },
  };
}

export type { ServiceHandler };
