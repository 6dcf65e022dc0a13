// Reads `terraform show -json <planfile>` output: the part of Terraform's JSON plan format the guard relies on, validated.
import * as fs from 'node:fs';
import { z } from 'zod';

/** What to run to get a file this guard can read; every refusal of a file ends with it. */
export const HOW_TO_MAKE_A_PLAN_JSON =
  'run `terraform plan -out plan.out` then `terraform show -json plan.out > plan.json` (for a CDKTF stack, in cdktf.out/stacks/<stack>)';

/**
 * The JSON plan format's major version this guard understands. Terraform promises to raise the major
 * version for incompatible changes and asks consumers to reject majors they do not know.
 */
const SUPPORTED_MAJOR = 1;

/** The file is missing, unreadable, or not a Terraform JSON plan the guard can judge. */
export class PlanFileError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${problem}: ${HOW_TO_MAKE_A_PLAN_JSON}`, options);
    this.name = 'PlanFileError';
  }
}

// Objects are loose: Terraform adds properties in minor versions, and consumers must ignore them.
const changeSchema = z.looseObject({
  actions: z.array(z.string()).min(1, { error: 'is empty: Terraform always names at least one action' }),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
  after_unknown: z.unknown().optional(),
  replace_paths: z.array(z.array(z.union([z.string(), z.number()]))).optional(),
});

const resourceChangeSchema = z.looseObject({
  address: z.string(),
  mode: z.enum(['managed', 'data']),
  type: z.string(),
  name: z.string(),
  module_address: z.string().optional(),
  previous_address: z.string().optional(),
  /** Set when the change is to a deposed object, one left behind by an interrupted replace. */
  deposed: z.string().optional(),
  action_reason: z.string().optional(),
  change: changeSchema,
});

const planSchema = z.looseObject({
  format_version: z.string({ error: 'is missing' }).refine((v) => Number(v.split('.')[0]) === SUPPORTED_MAJOR, {
    error: (issue) =>
      `is ${JSON.stringify(issue.input)}; this guard reads major version ${SUPPORTED_MAJOR} (Terraform 1.1 and later) and must not guess at another`,
  }),
  terraform_version: z.string().optional(),
  // A plan of the stack or module lists every resource, no-op ones too; none examined is "cannot tell", never a pass.
  resource_changes: z
    .array(resourceChangeSchema, { error: 'is missing: a plan of the stack or module lists every resource, unchanged ones too' })
    .min(1, {
      error: 'is empty: a plan of the stack or module lists every resource, unchanged ones too, so there is nothing here to judge',
    }),
  errored: z.boolean().optional(),
});

export type ResourceChange = z.infer<typeof resourceChangeSchema>;
export type TerraformPlan = z.infer<typeof planSchema>;

/** Parses JSON text already read from `file` (named in every error). */
export function parsePlan(file: string, text: string): TerraformPlan {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new PlanFileError(file, `not JSON (${(error as Error).message})`, { cause: error });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new PlanFileError(file, 'not a JSON object, so not a Terraform JSON plan');
  }
  const record = value as Record<string, unknown>;
  // `terraform show -json` without a plan file prints the state, which looks alike but plans nothing.
  if (!('resource_changes' in record) && 'values' in record && !('planned_values' in record)) {
    throw new PlanFileError(file, 'a Terraform state, not a plan (it has "values" and no "resource_changes")');
  }
  const parsed = planSchema.safeParse(record);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 5).map((issue) => `${formatPath(issue.path)} ${issue.message}`);
    const more = parsed.error.issues.length > 5 ? ` (and ${parsed.error.issues.length - 5} more)` : '';
    throw new PlanFileError(file, `not a Terraform JSON plan: ${problems.join('; ')}${more}`, { cause: parsed.error });
  }
  if (parsed.data.errored === true) {
    throw new PlanFileError(
      file,
      'the plan errored, so it is incomplete and says nothing about what apply would do; fix the errors `terraform plan` printed',
    );
  }
  return parsed.data;
}

/** `resource_changes[3].change.actions`, the way a reader finds it in the file. */
function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  return path.map((step, i) => (typeof step === 'number' ? `[${step}]` : `${i === 0 ? '' : '.'}${String(step)}`)).join('');
}

/** Reads and parses a plan file; a file that cannot be read is a PlanFileError too. */
export function readPlanFile(file: string): TerraformPlan {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a directory, not a file' : `cannot be read (${(error as Error).message})`;
    throw new PlanFileError(file, problem, { cause: error });
  }
  return parsePlan(file, text);
}
