import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { pass, skip, type DoctorCheck } from '../check';

/**
 * A global secondary index keyed on `query_date` lets a day be queried instead of scanned. It is optional:
 * without one the run scans the table, as it always has.
 */
export const dynamoDayIndex: DoctorCheck = {
  name: 'dynamodb day index',
  async run({ config, dynamo }) {
    let indexes;
    try {
      const out = await dynamo().send(new DescribeTableCommand({ TableName: config.dynamo.table }));
      indexes = out.Table?.GlobalSecondaryIndexes ?? [];
    } catch {
      return skip('the table is not readable (see above)');
    }
    const day = indexes.find((index) =>
      index.KeySchema?.some((k) => k.KeyType === 'HASH' && k.AttributeName === 'query_date'),
    );
    if (!day) return pass('absent (optional): days are read with a parallel scan');
    return pass(`index "${day.IndexName}" on query_date (${day.IndexStatus ?? 'ACTIVE'})`);
  },
};
