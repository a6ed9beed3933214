import { DescribeTableCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { fail, pass, type DoctorCheck } from '../check';

/** The search table exists with the key the scan and the seeder expect: partition key `query_id`, a string. */
export const dynamoTable: DoctorCheck = {
  name: 'dynamodb table',
  async run({ config, dynamo }) {
    const name = config.dynamo.table;
    let table;
    try {
      table = (await dynamo().send(new DescribeTableCommand({ TableName: name }))).Table;
    } catch (error) {
      if (error instanceof ResourceNotFoundException)
        return fail(
          `table "${name}" does not exist`,
          config.env === 'local'
            ? 'run "libreport setup"'
            : "set DYNAMODB_TABLE to the search service's table",
        );
      return fail(
        `DynamoDB is not reachable at ${config.dynamo.endpoint ?? `AWS ${config.aws.region}`} (${(error as Error).name}: ${(error as Error).message.split('\n')[0]})`,
        'start it ("libreport stack up") or set DYNAMODB_ENDPOINT / AWS credentials',
      );
    }
    const keys = table?.KeySchema ?? [];
    const hash = keys.find((k) => k.KeyType === 'HASH')?.AttributeName;
    const type = table?.AttributeDefinitions?.find((a) => a.AttributeName === hash)?.AttributeType;
    if (hash !== 'query_id' || type !== 'S' || keys.length !== 1)
      return fail(
        `table "${name}" has key ${keys.map((k) => `${k.AttributeName} ${k.KeyType}`).join(', ') || '(none)'}, not query_id (string) alone`,
        'point DYNAMODB_TABLE at the search-log table (partition key query_id, no sort key)',
      );
    return pass(`table "${name}" (${table?.ItemCount ?? 0} items), partition key query_id`);
  },
};
