import { inventoryVersionId } from '../../../runner/core/manifest';
import { NULL_VERSION_ID } from '../../../runner/core/version-id';

describe('inventoryVersionId', () => {
  it.each([
    ['an empty column (S3 Inventory, CSV and Parquet)', '', NULL_VERSION_ID],
    ['a NULL cell (Athena)', null, NULL_VERSION_ID],
    ['an absent column', undefined, NULL_VERSION_ID],
    ["'null' as written", 'null', NULL_VERSION_ID],
    ['a version id', 'Xr2y.3_zq', 'Xr2y.3_zq'],
  ])('reads %s', (_, column, expected) => {
    expect(inventoryVersionId(column)).toBe(expected);
  });
});
