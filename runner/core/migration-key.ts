// Whether a KMS key reference names the stack's key: the one rule preflight, plan, verify and the
// engines follow. A missing reference never counts as the key.

export interface MigrationKey {
  readonly arn: string;
  /**
   * `alias/...`: accepted only where AWS may echo an alias back (a bucket's default encryption names
   * whatever was configured); HeadObject always reports the key ARN.
   */
  readonly alias?: string;
}

/** The key's ARN or bare key id, or, where an alias is given, the alias name or alias ARN. */
export function isMigrationKey(reference: string | undefined, key: MigrationKey | string): boolean {
  if (!reference) return false;
  const { arn, alias } = typeof key === 'string' ? { arn: key, alias: undefined } : key;
  if (reference === arn || reference === arn.split('/').pop()) return true;
  return alias !== undefined && (reference === alias || reference.endsWith(`:${alias}`));
}
