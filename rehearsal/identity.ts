// Who the rehearsal's runner is: the sandbox's default credentials stand for the stack's first key
// user that is an IAM role or user, as a real run's credentials are the runner role the config names
// in `key.users`. The stack's key policy then admits the runner exactly as it would on AWS.

/** The `defaultPrincipalArn` for startSandbox; undefined (the sandbox's own admin user) when no key user is an IAM role or user. */
export function runnerPrincipalArn(keyUsers: readonly string[]): string | undefined {
  return keyUsers.find((arn) => /^arn:aws:iam::\d{12}:(role|user)\//.test(arn));
}
