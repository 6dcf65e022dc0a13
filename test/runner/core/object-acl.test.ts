// ACLs a copy would drop, turned back into what the copy request carries.
import { aclSettings } from '../../../runner/core/object-acl';

const owner = { id: 'owner', permission: 'FULL_CONTROL' };
const allUsers = 'http://acs.amazonaws.com/groups/global/AllUsers';

describe('aclSettings', () => {
  it.each([
    ['owner only', [owner], { canned: 'private' }],
    ['public read', [owner, { uri: allUsers, permission: 'READ' }], { canned: 'public-read' }],
    [
      'public read-write',
      [owner, { uri: allUsers, permission: 'READ' }, { uri: allUsers, permission: 'WRITE' }],
      { canned: 'public-read-write' },
    ],
    [
      'authenticated read',
      [owner, { uri: 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers', permission: 'READ' }],
      { canned: 'authenticated-read' },
    ],
    ['another account reads', [owner, { id: 'other', permission: 'READ' }], { grants: { FULL_CONTROL: 'id="owner"', READ: 'id="other"' } }],
  ])('%s', (_name, grants, expected) => {
    expect(aclSettings('owner', grants)).toEqual(expected);
  });
});
