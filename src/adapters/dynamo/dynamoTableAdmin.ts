import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceNotFoundException,
  UpdateTableCommand,
  waitUntilTableExists,
  type DescribeTableCommandOutput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import {
  DAY_INDEX,
  type DayIndexDetail,
  type DayIndexStatus,
  type SearchTable,
  type TableDescription,
} from './port';

/** One DynamoDB call, its failures mapped to our kinds (`dynamoSearchTable`'s). */
export type DynamoCall = <T>(run: () => Promise<T>) => Promise<T>;

/**
 * The search table's description and set-up: creating it with the day index, adding the index to a table
 * that has none, and what DescribeTable says of the index.
 */
export function dynamoTableAdmin(
  client: DynamoDBClient,
  tableName: string,
  call: DynamoCall,
): Pick<SearchTable, 'describe' | 'ensureTable' | 'addDayIndex'> {
  /** A new table's index is CREATING for a moment (dynalite: `createTableMs`); callers query it right away. */
  async function waitForDayIndex(): Promise<void> {
    for (let waited = 0; waited < 60_000; waited += 200) {
      const out = await call(() => client.send(new DescribeTableCommand({ TableName: tableName })));
      if (dayIndexStatus(out) === 'active') return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  return {
    async describe(): Promise<TableDescription> {
      const out = await call(() => client.send(new DescribeTableCommand({ TableName: tableName })));
      const key = out.Table?.KeySchema?.find((k) => k.KeyType === 'HASH')?.AttributeName ?? 'query_id';
      return {
        itemCount: out.Table?.ItemCount ?? 0,
        sizeBytes: out.Table?.TableSizeBytes ?? 0,
        partitionKey: key,
        dayIndex: dayIndexStatus(out),
        ...dayIndexDetail(out),
      };
    },
    async ensureTable(options?: { readonly dayIndex?: boolean }): Promise<void> {
      try {
        await client.send(new DescribeTableCommand({ TableName: tableName }));
        return;
      } catch (error) {
        if (!(error instanceof ResourceNotFoundException)) return call(() => Promise.reject(error));
      }
      const withIndex = options?.dayIndex !== false;
      await call(() =>
        client.send(
          new CreateTableCommand({
            TableName: tableName,
            KeySchema: [{ AttributeName: 'query_id', KeyType: 'HASH' }],
            AttributeDefinitions: [
              { AttributeName: 'query_id', AttributeType: 'S' },
              ...(withIndex ? [{ AttributeName: DAY_INDEX.partitionKey, AttributeType: 'S' as const }] : []),
            ],
            BillingMode: 'PAY_PER_REQUEST',
            ...(withIndex ? { GlobalSecondaryIndexes: [dayIndexDefinition()] } : {}),
          }),
        ),
      );
      await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 1 }, { TableName: tableName });
      if (withIndex) await waitForDayIndex();
    },
    async addDayIndex(): Promise<DayIndexStatus> {
      const table = await call(() => client.send(new DescribeTableCommand({ TableName: tableName })));
      const before = dayIndexStatus(table);
      if (before !== 'absent') return before;
      const provisioned = table.Table?.BillingModeSummary?.BillingMode !== 'PAY_PER_REQUEST';
      const update = (throughput?: { ReadCapacityUnits: number; WriteCapacityUnits: number }) =>
        call(() =>
          client.send(
            new UpdateTableCommand({
              TableName: tableName,
              AttributeDefinitions: [{ AttributeName: DAY_INDEX.partitionKey, AttributeType: 'S' }],
              GlobalSecondaryIndexUpdates: [
                {
                  Create: {
                    ...dayIndexDefinition(),
                    ...(throughput ? { ProvisionedThroughput: throughput } : {}),
                  },
                },
              ],
            }),
          ),
        );
      // A provisioned index gets the table's capacity: backfill and live writes share the index's WCU, and an
      // index short of it throttles writes to the table itself.
      const tableThroughput = {
        ReadCapacityUnits: Math.max(1, table.Table?.ProvisionedThroughput?.ReadCapacityUnits ?? 1),
        WriteCapacityUnits: Math.max(1, table.Table?.ProvisionedThroughput?.WriteCapacityUnits ?? 1),
      };
      try {
        await update(provisioned ? tableThroughput : undefined);
      } catch (error) {
        // dynalite validates an index create as if every table were provisioned.
        if (!(error instanceof Error && /provisionedThroughput/i.test(error.message))) throw error;
        await update(tableThroughput);
      }
      // dynalite answers this call with success and changes nothing: only DescribeTable tells.
      return dayIndexStatus(
        await call(() => client.send(new DescribeTableCommand({ TableName: tableName }))),
      );
    },
  };
}

function dayIndexDefinition() {
  return {
    IndexName: DAY_INDEX.name,
    KeySchema: [
      { AttributeName: DAY_INDEX.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: DAY_INDEX.sortKey, KeyType: 'RANGE' as const },
    ],
    Projection: { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: [...DAY_INDEX.projected] },
  };
}

/** The day index's status from DescribeTable: the only evidence of an index that counts. */
function dayIndexStatus(out: DescribeTableCommandOutput): DayIndexStatus {
  const index = out.Table?.GlobalSecondaryIndexes?.find((i) => i.IndexName === DAY_INDEX.name);
  if (!index) return 'absent';
  return index.IndexStatus === 'ACTIVE' && !index.Backfilling ? 'active' : 'creating';
}

function dayIndexDetail(out: DescribeTableCommandOutput): { dayIndexDetail?: DayIndexDetail } {
  const index = out.Table?.GlobalSecondaryIndexes?.find((i) => i.IndexName === DAY_INDEX.name);
  if (!index) return {};
  return {
    dayIndexDetail: {
      name: DAY_INDEX.name,
      indexStatus: index.IndexStatus ?? 'ACTIVE',
      backfilling: index.Backfilling === true,
      itemCount: index.ItemCount ?? 0,
      sizeBytes: index.IndexSizeBytes ?? 0,
    },
  };
}
