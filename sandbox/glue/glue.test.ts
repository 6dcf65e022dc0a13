// Glue through the SDK: database and table round-trips in the API's shapes, and its errors.
import {
  CreateDatabaseCommand,
  CreateTableCommand,
  DeleteDatabaseCommand,
  DeleteTableCommand,
  GetDatabaseCommand,
  GetDatabasesCommand,
  GetTableCommand,
  GetTablesCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-glue';
import { failureOf, useSandbox } from '../support/clients';
import { inventoryTableInput } from '../support/inventory-fixture';

const fixture = useSandbox();

it('round-trips a database and the inventory table with its projection parameters', async () => {
  const glue = fixture.clients.glue;
  await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: 'Kms_Migration', Description: 'inventory' } }));
  await glue.send(new CreateTableCommand({ DatabaseName: 'kms_migration', TableInput: inventoryTableInput('Inventory_Acme') }));
  const database = (await glue.send(new GetDatabaseCommand({ Name: 'kms_migration' }))).Database!;
  expect(database).toMatchObject({ Name: 'kms_migration', Description: 'inventory', CatalogId: '123456789012' });
  expect(database.CreateTime).toBeInstanceOf(Date);
  const table = (await glue.send(new GetTableCommand({ DatabaseName: 'KMS_MIGRATION', Name: 'inventory_acme' }))).Table!;
  expect(table.Name).toBe('inventory_acme');
  expect(table.Parameters).toEqual(inventoryTableInput('x').Parameters);
  expect(table.StorageDescriptor?.Columns?.map((c) => c.Name)).toEqual(
    inventoryTableInput('x').StorageDescriptor?.Columns?.map((c) => c.Name),
  );
  expect(table.PartitionKeys).toEqual([{ Name: 'dt', Type: 'string' }]);
  expect((await glue.send(new GetTablesCommand({ DatabaseName: 'kms_migration' }))).TableList?.map((t) => t.Name)).toEqual([
    'inventory_acme',
  ]);
  expect((await glue.send(new GetDatabasesCommand({}))).DatabaseList?.map((d) => d.Name)).toEqual(['kms_migration']);
});

it('replaces a table definition on UpdateTable and counts its version', async () => {
  const glue = fixture.clients.glue;
  await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: 'updates' } }));
  await glue.send(new CreateTableCommand({ DatabaseName: 'updates', TableInput: inventoryTableInput('t') }));
  await glue.send(
    new UpdateTableCommand({ DatabaseName: 'updates', TableInput: { ...inventoryTableInput('t'), Parameters: { classification: 'csv' } } }),
  );
  const table = (await glue.send(new GetTableCommand({ DatabaseName: 'updates', Name: 't' }))).Table!;
  expect(table.Parameters).toEqual({ classification: 'csv' });
  expect(table.VersionId).toBe('1');
});

it('answers EntityNotFoundException for missing databases and tables, also after deletion', async () => {
  const glue = fixture.clients.glue;
  expect(await failureOf(glue.send(new GetDatabaseCommand({ Name: 'nope' })))).toMatchObject({
    name: 'EntityNotFoundException',
    status: 400,
    message: 'Database nope not found.',
  });
  await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: 'doomed' } }));
  await glue.send(new CreateTableCommand({ DatabaseName: 'doomed', TableInput: inventoryTableInput('t') }));
  expect(await failureOf(glue.send(new GetTableCommand({ DatabaseName: 'doomed', Name: 'other' })))).toMatchObject({
    name: 'EntityNotFoundException',
  });
  await glue.send(new DeleteTableCommand({ DatabaseName: 'doomed', Name: 't' }));
  expect(await failureOf(glue.send(new GetTableCommand({ DatabaseName: 'doomed', Name: 't' })))).toMatchObject({
    name: 'EntityNotFoundException',
  });
  await glue.send(new DeleteDatabaseCommand({ Name: 'doomed' }));
  expect(
    await failureOf(glue.send(new CreateTableCommand({ DatabaseName: 'doomed', TableInput: inventoryTableInput('t') }))),
  ).toMatchObject({ name: 'EntityNotFoundException' });
});

it('answers AlreadyExistsException for a second database or table of the same name', async () => {
  const glue = fixture.clients.glue;
  await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: 'twice' } }));
  expect(await failureOf(glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: 'TWICE' } })))).toMatchObject({
    name: 'AlreadyExistsException',
    message: 'Database already exists.',
  });
  await glue.send(new CreateTableCommand({ DatabaseName: 'twice', TableInput: inventoryTableInput('t') }));
  expect(await failureOf(glue.send(new CreateTableCommand({ DatabaseName: 'twice', TableInput: inventoryTableInput('T') })))).toMatchObject(
    { name: 'AlreadyExistsException' },
  );
});
