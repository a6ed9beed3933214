import { Command } from 'commander';
import { createDynamoClient, dynamoSearchTable } from '../../adapters/dynamo/dynamoSearchTable';
import { DAY_INDEX, type SearchTable, type TableDescription } from '../../adapters/dynamo/port';
import { loadConfig, type Config } from '../../config/config';
import { MissingResourceError } from '../../errors';
import { EXIT, runAction } from '../runAction';
import { printJson } from '../temporalCommand';

/** How often `add-index --wait` asks DescribeTable: a back-fill takes minutes to hours, and each call is free. */
const WAIT_POLL_MS = 15_000;

interface AddIndexOptions {
  readonly wait?: boolean;
  readonly json?: boolean;
}

/** `libreport dynamo add-index`: the search table's day index. */
export function dynamoCommand(): Command {
  const dynamo = new Command('dynamo')
    // Set before the subcommands are added so they inherit it: parse errors reach main's exit code 2.
    .exitOverride()
    .description("The search table in DynamoDB: add the day index that lets a day's run read only that day");
  dynamo
    .command('add-index')
    .description(
      `Add the global secondary index "${DAY_INDEX.name}" (partition key query_date, sort key query_id) to\n` +
        'DYNAMODB_TABLE with UpdateTable, then report its status and back-fill as DescribeTable shows them',
    )
    .option('--wait', 'wait until the index is ACTIVE, printing each change of its status')
    .option('--json', 'print the final status as JSON')
    .addHelpText(
      'after',
      '\nThe table stays readable and writable while the index back-fills; runs keep scanning until DescribeTable\n' +
        'says the index is ACTIVE, then read days through it by themselves. Once the index exists DynamoDB refuses\n' +
        'writes whose query_date is not a string: check the writers first. Safe to run again: an index already\n' +
        'there is reported, not added twice. dynalite (the local stack) ignores this change: there, recreate the\n' +
        'table ("libreport seed" creates it with the index).\n' +
        '\nExamples:\n  libreport dynamo add-index\n  libreport dynamo add-index --wait',
    )
    .action(
      runAction(async (options: AddIndexOptions) => {
        const config = loadConfig();
        const settings = {
          endpoint: config.dynamo.endpoint,
          region: config.aws.region,
          table: config.dynamo.table,
        };
        const client = createDynamoClient(settings);
        try {
          return await addIndex(dynamoSearchTable(client, settings), config, options);
        } finally {
          client.destroy();
        }
      }),
    );
  return dynamo;
}

async function addIndex(table: SearchTable, config: Config, options: AddIndexOptions): Promise<number> {
  const say = (line: string) => {
    if (!options.json) process.stdout.write(`${line}\n`);
  };
  let description = await table.describe();
  const found = description.dayIndex;
  if (found === 'absent') {
    const after = await table.addDayIndex();
    if (after === 'absent') throw new MissingResourceError(ignoredUpdate(config, table.tableName));
    description = await table.describe();
    say(`UpdateTable accepted: DynamoDB is adding "${DAY_INDEX.name}" to "${table.tableName}"`);
  } else if (found === 'active') {
    say(`"${table.tableName}" already has "${DAY_INDEX.name}", ACTIVE: days are read through it`);
  }
  say(statusLine(description));
  while (options.wait && description.dayIndex !== 'active') {
    await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
    const next = await table.describe();
    if (statusLine(next) !== statusLine(description)) say(statusLine(next));
    description = next;
  }
  if (description.dayIndex !== 'active')
    say('runs keep scanning the table until it is ACTIVE; "libreport dynamo add-index --wait" follows it');
  if (options.json)
    printJson({
      table: table.tableName,
      index: DAY_INDEX.name,
      found,
      status: description.dayIndex,
      detail: description.dayIndexDetail ?? null,
    });
  return EXIT.ok;
}

function statusLine(d: TableDescription): string {
  const detail = d.dayIndexDetail;
  if (!detail) return `index "${DAY_INDEX.name}": absent`;
  const what = detail.backfilling ? ', back-filling the existing items' : '';
  return (
    `index "${detail.name}": ${detail.indexStatus}${what} ` +
    `(${detail.itemCount.toLocaleString('en-US')} items, ${detail.sizeBytes.toLocaleString('en-US')} bytes as of DynamoDB's last count)`
  );
}

/** dynalite answers UpdateTable with success and changes nothing; only DescribeTable tells. */
function ignoredUpdate(config: Config, tableName: string): string {
  const where = config.dynamo.endpoint ?? `AWS ${config.aws.region}`;
  const local = config.env === 'local';
  return local
    ? `DynamoDB at ${where} accepted the UpdateTable but DescribeTable shows no index on "${tableName}": dynalite ` +
        'ignores index changes to an existing table. Recreate the table with the index: delete it (or stop the ' +
        'stack and remove its dynalite folder) and run "libreport seed", which creates it with the index'
    : `DynamoDB at ${where} accepted the UpdateTable but DescribeTable shows no index on "${tableName}"; check ` +
        `it with "aws dynamodb describe-table --table-name ${tableName}"`;
}
