// The description of a migration job, which carries its ClientRequestToken: DescribeJob and ListJobs
// never return the token, so a runner that lost its state finds the jobs its tokens created by
// their descriptions. The token comes right after the stack, so the 256-character cut never reaches it.

/** What every migration job's description starts with. */
export const JOB_DESCRIPTION_PREFIX = 'kms-migration';

/** CreateJob's limit on Description. */
export const MAX_JOB_DESCRIPTION_LENGTH = 256;

// A token as CreateJob takes it: 1-64 characters; the runner's own have no space or colon.
const TOKEN_PATTERN = /^([^\s:]{1,64}): /;

/** `kms-migration <stack> <token>: <what>`, cut to 256 characters in `what` only. */
export function jobDescription(stack: string, token: string, what: string): string {
  const head = `${JOB_DESCRIPTION_PREFIX} ${stack} ${token}: `;
  if (head.length > MAX_JOB_DESCRIPTION_LENGTH) {
    throw new Error(
      `A job description's stack and token must leave room within ${MAX_JOB_DESCRIPTION_LENGTH} characters. Received: ${head.length} characters for '${stack}' and '${token}'`,
    );
  }
  return `${head}${what}`.slice(0, MAX_JOB_DESCRIPTION_LENGTH);
}

/**
 * `kms-migration <stack>: <what>`: what runners before the token was in the description wrote. Only
 * an exact match of it is ever recognised, and only together with the job's manifest and tags.
 */
export function legacyJobDescription(stack: string, what: string): string {
  return `${JOB_DESCRIPTION_PREFIX} ${stack}: ${what}`.slice(0, MAX_JOB_DESCRIPTION_LENGTH);
}

/** The token a description of `stack`'s job carries; undefined for another stack's job, a legacy one, or any other. */
export function tokenOfDescription(description: string | undefined, stack: string): string | undefined {
  const head = `${JOB_DESCRIPTION_PREFIX} ${stack} `;
  if (!description?.startsWith(head)) return undefined;
  return TOKEN_PATTERN.exec(description.slice(head.length))?.[1];
}
