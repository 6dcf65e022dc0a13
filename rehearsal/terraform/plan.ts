// Reads a synthesized cdk.tf.json as a graph: every resource and data source, the references between
// them (`${type.name.attr}` and depends_on), in an order that creates each one after what it uses.

export class ApplyError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ApplyError';
  }
}

export interface Node {
  /** `aws_s3_bucket.InventoryBucket_85DE5DD6` or `data.aws_iam_policy_document.X`. */
  readonly address: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  readonly config: Record<string, unknown>;
  readonly dependsOn: readonly string[];
}

export interface SynthesizedStack {
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly output?: Record<string, { value: unknown; description?: string }>;
}

// A whole-string interpolation or one embedded in text: ${data.aws_x.name.attr} / ${aws_x.name.attr.sub}
const INTERPOLATION = /\$\{([^}]*)\}/g;
const REFERENCE = /^(data\.)?([a-z0-9_]+)\.([A-Za-z0-9_-]+)((?:\.[A-Za-z0-9_]+)+)$/;

export interface Reference {
  readonly address: string;
  readonly path: readonly string[];
}

/** Parses the inside of `${...}`; only plain attribute references are supported. */
export function parseReference(expression: string, where: string): Reference {
  const [, data, type, name, rest] = REFERENCE.exec(expression.trim()) ?? [];
  if (type === undefined || name === undefined || rest === undefined) {
    throw new ApplyError(
      `${where}: the sandbox apply resolves only attribute references like \${aws_s3_bucket.name.arn}; ` +
        `it cannot evaluate \${${expression}}`,
    );
  }
  return { address: `${data ? 'data.' : ''}${type}.${name}`, path: rest.slice(1).split('.') };
}

/** Every reference anywhere inside a value. */
export function referencesIn(value: unknown, where: string): Reference[] {
  if (typeof value === 'string') {
    return [...value.matchAll(INTERPOLATION)].map(([, expression = '']) => parseReference(expression, where));
  }
  if (Array.isArray(value)) return value.flatMap((v) => referencesIn(v, where));
  if (value && typeof value === 'object') return Object.values(value).flatMap((v) => referencesIn(v, where));
  return [];
}

/** Replaces every reference with the attribute it names; a whole-string reference keeps its type. */
export function resolveValue(value: unknown, lookup: (ref: Reference) => unknown, where: string): unknown {
  if (typeof value === 'string') {
    const whole = /^\$\{([^}]*)\}$/.exec(value)?.[1];
    if (whole !== undefined) return lookup(parseReference(whole, where));
    return value.replace(INTERPOLATION, (_m, expr: string) => {
      const resolved = lookup(parseReference(expr, where));
      if (typeof resolved === 'object') {
        throw new ApplyError(`${where}: \${${expr}} is not a string and cannot be embedded in text`);
      }
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- objects were refused just above
      return String(resolved);
    });
  }
  if (Array.isArray(value)) return value.map((v) => resolveValue(v, lookup, where));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== '//')
        .map(([k, v]) => [k, resolveValue(v, lookup, where)]),
    );
  }
  return value;
}

function nodesOf(stack: SynthesizedStack): Node[] {
  const nodes: Node[] = [];
  const collect = (mode: Node['mode'], blocks: SynthesizedStack['resource']) => {
    for (const [type, byName] of Object.entries(blocks ?? {})) {
      for (const [name, config] of Object.entries(byName)) {
        const address = `${mode === 'data' ? 'data.' : ''}${type}.${name}`;
        const explicit = (config.depends_on as string[] | undefined) ?? [];
        const implicit = referencesIn({ ...config, depends_on: undefined }, address).map((r) => r.address);
        nodes.push({ address, mode, type, name, config, dependsOn: [...new Set([...explicit, ...implicit])] });
      }
    }
  };
  collect('data', stack.data);
  collect('managed', stack.resource);
  return nodes;
}

/** The nodes in an order where each comes after everything it references. */
export function planApply(stack: SynthesizedStack): Node[] {
  const nodes = nodesOf(stack);
  const byAddress = new Map(nodes.map((n) => [n.address, n]));
  for (const node of nodes) {
    for (const dep of node.dependsOn) {
      if (!byAddress.has(dep)) throw new ApplyError(`${node.address} references ${dep}, which the stack does not declare`);
    }
  }
  const ordered: Node[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (node: Node, trail: string[]) => {
    const seen = state.get(node.address);
    if (seen === 'done') return;
    if (seen === 'visiting') throw new ApplyError(`dependency cycle: ${[...trail, node.address].join(' -> ')}`);
    state.set(node.address, 'visiting');
    for (const dep of node.dependsOn) visit(byAddress.get(dep)!, [...trail, node.address]);
    state.set(node.address, 'done');
    ordered.push(node);
  };
  // Sorted first so the order, and so bucket-name suffixes, are the same on every run.
  for (const node of [...nodes].sort((a, b) => a.address.localeCompare(b.address))) visit(node, []);
  return ordered;
}
