// What a planned resource change does, read from Terraform's `change.actions` and `action_reason`, in words a reviewer acts on.

/** What a resource change does, from Terraform's `change.actions`. */
export type ChangeKind = 'no-op' | 'create' | 'read' | 'update' | 'replace' | 'destroy' | 'forget' | 'unrecognised';

export const CHANGE_KINDS: readonly ChangeKind[] = ['no-op', 'create', 'read', 'update', 'replace', 'destroy', 'forget', 'unrecognised'];

/** Terraform's action lists, as the JSON plan format documents them. */
export function changeKind(actions: readonly string[]): ChangeKind {
  const key = actions.join(',');
  switch (key) {
    case 'no-op':
    case 'create':
    case 'read':
    case 'update':
    case 'forget':
      return key;
    case 'delete':
      return 'destroy';
    case 'delete,create':
    case 'create,delete':
    case 'create,forget':
      // create,forget: a new object is created and the old one is left in AWS, unmanaged: still a different object.
      return 'replace';
  }
  // Terraform asks consumers to treat any list holding "delete" as a deletion, for combinations to come.
  return actions.includes('delete') ? 'destroy' : 'unrecognised';
}

/** How the change reads to a reviewer, e.g. "replace (destroy, then create)". */
export function describeActions(actions: readonly string[]): string {
  switch (actions.join(',')) {
    case 'delete,create':
      return 'replace (destroy, then create)';
    case 'create,delete':
      return 'replace (create, then destroy)';
    case 'create,forget':
      return 'replace (create a new one; the old one is forgotten, left in AWS unmanaged)';
    case 'delete':
      return 'destroy';
    default:
      return actions.join(', ');
  }
}

/** Why Terraform planned a replace or destroy, in words a reviewer can act on. */
export function explainActionReason(
  reason: string | undefined,
  replacePaths?: readonly (readonly (string | number)[])[],
): string | undefined {
  switch (reason) {
    case undefined:
      return undefined;
    case 'replace_because_cannot_update': {
      const paths = (replacePaths ?? []).map((p) => p.join('.')).filter((p) => p.length > 0);
      return `an argument that cannot change in place changed${paths.length > 0 ? `: ${paths.join(', ')}` : ''}`;
    }
    case 'replace_because_tainted':
      return 'it is tainted (an earlier apply failed on it, or someone ran `terraform taint`)';
    case 'replace_by_request':
      return 'the plan was made with -replace for it';
    case 'replace_by_triggers':
      return 'a replace_triggered_by reference changed';
    case 'delete_because_no_resource_config':
      return 'its resource is no longer in the configuration (a bucket taken out of the config, or a construct id or resource renamed without a moved block)';
    case 'delete_because_no_module':
      return 'the module call that declared it is gone';
    case 'delete_because_wrong_repetition':
    case 'delete_because_count_index':
    case 'delete_because_each_key':
      return 'its count index or for_each key is no longer declared';
    case 'delete_because_no_move_target':
      return 'a moved block points it at an address that does not exist';
    default:
      return reason;
  }
}
