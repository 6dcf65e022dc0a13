// Reading Athena's rows: each row is parsed with the query's row schema, and a row of another shape
// fails with the column named instead of reaching the engine as `undefined`.
import { CreateWorkGroupCommand } from '@aws-sdk/client-athena';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { queryRows, runQuery } from '../../../runner/aws/athena';
import { useSandbox } from '../../../sandbox/support/clients';

describe('queryRows', () => {
  const fixture = useSandbox();
  const options = { workgroup: 'rows', database: 'default', pollMs: 5 };
  beforeAll(async () => {
    await fixture.clients.s3.send(new CreateBucketCommand({ Bucket: 'results' }));
    await fixture.clients.athena.send(
      new CreateWorkGroupCommand({ Name: 'rows', Configuration: { ResultConfiguration: { OutputLocation: 's3://results/rows/' } } }),
    );
  });

  it('returns the rows keyed by column when they have the columns the schema asks for', async () => {
    const run = await runQuery(fixture.clients.athena, "SELECT 'k1' AS key, 'v1' AS version_id", options);
    const rows = await queryRows(fixture.clients.athena, run.queryExecutionId, z.object({ key: z.string(), version_id: z.string() }));
    expect(rows).toEqual([{ key: 'k1', version_id: 'v1' }]);
  });

  it('names the missing column and the columns received', async () => {
    const run = await runQuery(fixture.clients.athena, "SELECT 'k1' AS key", options);
    await expect(
      queryRows(fixture.clients.athena, run.queryExecutionId, z.object({ key: z.string(), version_id: z.string() })),
    ).rejects.toThrow(/row 1 .*column version_id: .*columns received: key\)/);
  });
});
