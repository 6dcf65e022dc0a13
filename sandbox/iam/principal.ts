// Who makes a request: the ARN GetCallerIdentity answers, its account, and the IAM entity whose
// policies apply (for an assumed-role session, its role).

export interface Principal {
  /** As GetCallerIdentity answers: `arn:aws:iam::<acct>:user/<name>`, `...:root`, or `arn:aws:sts::<acct>:assumed-role/<role>/<session>`. */
  readonly arn: string;
  readonly accountId: string;
  /** GetCallerIdentity's UserId. */
  readonly userId: string;
  /** The IAM user, role or root whose policies apply; a resource policy naming it names the caller. */
  readonly identityArn: string;
  /** The account root user: IAM policies never restrict it. */
  readonly isRoot: boolean;
}

const IAM_ARN = /^arn:aws:iam::(\d{12}):(root|user\/(?:[\w+=,.@/-]*\/)?[\w+=,.@-]{1,64}|role\/(?:[\w+=,.@/-]*\/)?([\w+=,.@-]{1,64}))$/;

/** The session name the default identity uses when it is a role. */
export const DEFAULT_SESSION_NAME = 'sandbox';

/**
 * The principal behind long-term credentials named by an IAM ARN: the root user, a user, or (for a
 * role, which only acts through sessions) the session `DEFAULT_SESSION_NAME` of that role.
 */
export function principalFromIamArn(arn: string): Principal {
  const [, accountId, resource, roleName] = IAM_ARN.exec(arn) ?? [];
  if (accountId === undefined || resource === undefined)
    throw new RangeError(
      `'principalArn' must be an IAM root, user or role ARN (arn:aws:iam::<12 digits>:root|user/<name>|role/<name>). Received: ${arn}`,
    );
  if (resource === 'root') return { arn, accountId, userId: accountId, identityArn: arn, isRoot: true };
  if (roleName !== undefined) return sessionPrincipal(arn, roleName, DEFAULT_SESSION_NAME, accountId);
  return { arn, accountId, userId: `AIDA${uniqueSuffix(arn)}`, identityArn: arn, isRoot: false };
}

/** A session of a role, as AssumeRole creates it. */
export function sessionPrincipal(roleArn: string, roleName: string, sessionName: string, accountId: string): Principal {
  return {
    arn: `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`,
    accountId,
    userId: `AROA${uniqueSuffix(roleArn)}:${sessionName}`,
    identityArn: roleArn,
    isRoot: false,
  };
}

/** A stable 17-character id part, as IAM's unique ids look (AIDA.../AROA...). */
function uniqueSuffix(arn: string): string {
  let hash = 0n;
  for (const char of arn) hash = (hash * 131n + BigInt(char.codePointAt(0)!)) % 36n ** 17n;
  return hash.toString(36).toUpperCase().padStart(17, '0');
}
