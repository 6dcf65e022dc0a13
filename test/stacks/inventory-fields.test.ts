// The stack's inventory schema against the sandbox's own copy of AWS's report fields, and the
// sandbox tests' inventory table against the one the stack declares: the sandbox keeps these apart
// from stacks/ so that each is checked against the other, not against itself.
import { INVENTORY_FORMATS } from '../../stacks/config';
import {
  INVENTORY_FIELDS,
  INVENTORY_OPTIONAL_FIELDS,
  INVENTORY_PARTITION_FORMAT,
  inventoryColumns,
  inventoryStorageFormat,
} from '../../stacks/inventory-schema';
import { INVENTORY_CONFIG_ID, INVENTORY_DESTINATION_PREFIX } from '../../stacks/outputs';
import { REPORT_FIELDS } from '../../sandbox';
import * as fixture from '../../sandbox/support/inventory-fixture';

it('keeps the same field order and columnar types as the sandbox writes', () => {
  expect(REPORT_FIELDS.map((f) => [f.s3Name, f.column, f.columnarType, !f.fixed])).toEqual(
    INVENTORY_FIELDS.map((f) => [f.s3Name, f.column, f.columnarType, f.optional]),
  );
});

it('requests the optional fields, under the prefix, configuration id and partition format the sandbox tests use', () => {
  expect(fixture.INVENTORY_OPTIONAL_FIELDS).toEqual(INVENTORY_OPTIONAL_FIELDS);
  expect([fixture.INVENTORY_DESTINATION_PREFIX, fixture.INVENTORY_CONFIG_ID, fixture.INVENTORY_PARTITION_FORMAT]).toEqual([
    INVENTORY_DESTINATION_PREFIX,
    INVENTORY_CONFIG_ID,
    INVENTORY_PARTITION_FORMAT,
  ]);
});

describe.each(INVENTORY_FORMATS)('the %s table', (format) => {
  it('has the columns and storage the sandbox tests query through', () => {
    const table = fixture.inventoryTableInput('inventory_x', format);
    expect(table.StorageDescriptor!.Columns).toEqual(inventoryColumns(format).map((c) => ({ Name: c.name, Type: c.type })));
    expect(table.StorageDescriptor!.SerdeInfo!.SerializationLibrary).toBe(inventoryStorageFormat(format).serializationLibrary);
    expect([table.StorageDescriptor!.InputFormat, table.StorageDescriptor!.OutputFormat]).toEqual([
      inventoryStorageFormat(format).inputFormat,
      inventoryStorageFormat(format).outputFormat,
    ]);
  });
});
