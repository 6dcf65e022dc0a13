// Applies a synthesized stack (cdktf.out/stacks/<stack>/cdk.tf.json) to the sandbox: each resource
// in dependency order, references resolved from what was created, then the outputs the runner reads.
import * as fs from 'node:fs';
import type { SandboxClients, Sandbox } from '../../sandbox';
import { ApplyError, Node, Reference, SynthesizedStack, planApply, resolveValue } from './plan';
import { ApplyContext, Attributes, handlerFor } from './resources';

export interface AppliedStack {
  /** Output name → value, as `cdktf deploy --outputs-file` records them. */
  readonly outputs: Record<string, unknown>;
  /** Address → arguments and attributes of everything applied, like a Terraform state. */
  readonly state: ReadonlyMap<string, Attributes>;
}

function lookupIn(state: Map<string, Attributes>, where: string) {
  return (ref: Reference): unknown => {
    const attrs = state.get(ref.address);
    if (!attrs) throw new ApplyError(`${where}: ${ref.address} has not been applied (the plan order is wrong)`);
    let value: unknown = attrs;
    for (const segment of ref.path) {
      if (value === null || typeof value !== 'object' || !(segment in value)) {
        throw new ApplyError(`${where}: ${ref.address} has no attribute ${ref.path.join('.')}`);
      }
      value = (value as Record<string, unknown>)[segment];
    }
    return value;
  };
}

async function applyNode(node: Node, state: Map<string, Attributes>, ctx: ApplyContext): Promise<void> {
  const handler = handlerFor(node.mode, node.type, node.address);
  const { depends_on: _dependsOn, ...config } = node.config;
  const args = resolveValue(config, lookupIn(state, node.address), node.address) as Record<string, unknown>;
  try {
    const attrs = await handler(args, ctx);
    state.set(node.address, { ...args, ...attrs });
  } catch (cause) {
    if (cause instanceof ApplyError) throw cause;
    const error = cause as { name?: string; message?: string };
    throw new ApplyError(`${node.address}: ${error.name ?? 'Error'}: ${error.message ?? String(cause)}`, { cause });
  }
}

export async function applyStack(stack: SynthesizedStack, ctx: ApplyContext): Promise<AppliedStack> {
  const state = new Map<string, Attributes>();
  // Refuse the whole stack up front rather than leave it half-applied over an unsupported type,
  // and before reading references: an unsupported resource (the key alarm's rule) may hold an
  // expression such as jsonencode(...) that the reference reader refuses less helpfully.
  const declared = (['data', 'managed'] as const).flatMap((mode) =>
    Object.entries((mode === 'data' ? stack.data : stack.resource) ?? {}).flatMap(([type, byName]) =>
      Object.keys(byName).map((name) => ({ mode, type, address: `${mode === 'data' ? 'data.' : ''}${type}.${name}` })),
    ),
  );
  // Sorted, so the type named is the same on every run.
  declared.sort((a, b) => a.address.localeCompare(b.address));
  for (const { mode, type, address } of declared) handlerFor(mode, type, address);
  const nodes = planApply(stack);
  for (const node of nodes) await applyNode(node, state, ctx);
  const outputs: Record<string, unknown> = {};
  for (const [name, output] of Object.entries(stack.output ?? {})) {
    outputs[name] = resolveValue(output.value, lookupIn(state, `output.${name}`), `output.${name}`);
  }
  return { outputs, state };
}

export function readSynthesizedStack(file: string): SynthesizedStack {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as SynthesizedStack;
  } catch (cause) {
    throw new ApplyError(`Cannot read synthesized stack ${file}: ${(cause as Error).message}. Run \`npm run synth\` first`, { cause });
  }
}

/** Writes outputs the way `cdktf deploy --outputs-file` does: { "<stack>": { name: value } }. */
export function writeOutputsFile(file: string, stackName: string, outputs: Record<string, unknown>): void {
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify({ [stackName]: outputs }, null, 2)}\n`);
  fs.renameSync(tmp, file);
}

/**
 * Applies a stack to a running sandbox as `cdktf deploy` would, with the sandbox's IAM for roles
 * and bucket-name suffixes that are the same on every run (names generated from bucket_prefix).
 */
export function applyToSandbox(
  stack: SynthesizedStack,
  sandbox: Sandbox,
  clients: SandboxClients,
  suffixPrefix = '20261123',
): Promise<AppliedStack> {
  let counter = 0;
  return applyStack(stack, {
    clients,
    accountId: sandbox.world.accountId,
    region: sandbox.world.region,
    iam: sandbox.world.iam,
    uniqueSuffix: () => `${suffixPrefix}${String(++counter).padStart(6, '0')}`,
  });
}
