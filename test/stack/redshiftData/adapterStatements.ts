import { toNamedParameters } from '../../../src/adapters/warehouse/redshiftParameters';
import { copySettings, copyStatement } from '../../../src/adapters/warehouse/redshiftCopy';
import { lastOutcomePerDay, auditTableExists } from '../../../src/activities/sql/backfill';
import * as status from '../../../src/activities/sql/status';
import * as sweep from '../../../src/activities/sql/sweep';
import * as doctor from '../../../src/activities/sql/doctor';
import {
  deleteClaims,
  insertLedgerRows,
  markAbandonedClaimsUnknown,
  selectDayLoaded,
  selectLedger,
  updateLedgerRows,
} from '../../../src/activities/sql/delivery';
import {
  bookWatermark,
  countStagedQuarantineReasons,
  insertAudit,
  loadedCountsQuery,
  replaceDayStatements,
  selectLoadedAudit,
} from '../../../src/activities/sql/load';
import * as mart from '../../../src/activities/sql/mart';
import {
  countCheckpoints,
  createRunRegistry,
  createStagingTables,
  deleteCheckpoint,
  dropStagingTables,
  insertCheckpoint,
  lockCheckpoints,
  SEGMENT_KINDS,
  selectCheckpoint,
  STAGE_COLUMNS,
  stagingTables,
} from '../../../src/activities/sql/staging';
import { warehouseSchemaStatements } from '../../../src/activities/warehouseSchema';
import * as staging from '../../../src/activities/sql/staging';
import { LOCAL_REDSHIFT } from '../../../src/config/config';

const t = stagingTables('r20240516_abcdef123456');

/** The staging lifecycle (prepareRun, cleanup, extractRds) and the load's count of quarantine reasons. */
const RUN_LIFECYCLE: [string, string][] = [
  ['prepareRun registered', staging.selectRegisteredRun],
  ['prepareRun register', staging.registerRun],
  ['abandoned runs', staging.selectRunsMadeBefore],
  ['drop run', staging.deleteRun],
  ...staging.clearStagedRds(t).map((sql): [string, string] => ['extractRds reset', sql]),
  ['quarantine reasons', countStagedQuarantineReasons(t)],
];

const martValues = {
  report_date: '2024-05-16',
  next_date: '2024-05-17',
  top_rows: 50,
  time_zone: 'Asia/Seoul',
};
const settings = copySettings(
  {
    kind: 'redshift-data',
    clusterId: 'c',
    database: 'dev',
    iamRole: LOCAL_REDSHIFT.iamRole,
    stagingBucket: LOCAL_REDSHIFT.stagingBucket,
    stagingPrefix: 'libreport/staging',
  },
  'ap-northeast-2',
);

/** Every statement the redshift-data warehouse is sent on a day, a backfill, a resend and `status`, by what sends it. */
export function adapterStatements(): [string, string][] {
  const list: [string, string][] = [
    ...warehouseSchemaStatements('redshift').map((sql): [string, string] => ['warehouse DDL', sql]),
    ...mart.martSchemaStatements('redshift').map((sql): [string, string] => ['mart DDL', sql]),
    ['run registry', createRunRegistry],
    ...createStagingTables(t, 'redshift').map((sql): [string, string] => ['staging DDL', sql]),
    ...dropStagingTables(t).map((sql): [string, string] => ['staging drop', sql]),
    ['checkpoint insert', insertCheckpoint(t)],
    ['checkpoint lock', lockCheckpoints(t)],
    ['checkpoint delete', deleteCheckpoint(t)],
    ['checkpoint count', countCheckpoints(t)],
    ['checkpoint read', selectCheckpoint(t)],
    ...replaceDayStatements(t, 'redshift').map((sql): [string, string] => ['day replace', sql]),
    ['reconcile', loadedCountsQuery(t, 'warehouse', 'redshift')],
    ['reconcile staged', loadedCountsQuery(t, 'staging', 'redshift')],
    ['loaded audit', selectLoadedAudit],
    ['audit', insertAudit],
    ['watermark', bookWatermark],
    ['ledger read', selectLedger],
    ['ledger claim', insertLedgerRows(3)],
    ['ledger settle', updateLedgerRows(3)],
    ['ledger release', deleteClaims(3)],
    ['ledger unknown', markAbandonedClaimsUnknown],
    ['resend day loaded', selectDayLoaded],
    ['backfill audit table', auditTableExists],
    ['backfill outcomes', lastOutcomePerDay],
    ['status ledger table', status.ledgerTableExists],
    ['status quarantine table', status.quarantineTableExists],
    ['status loads', status.selectRunAudits(2)],
    ['status emails', status.countDailyDeliveries(2)],
    ['status undated', status.countUndatedByReason],
    ['sweep lock', sweep.lockQuarantine('redshift')],
    ['sweep replace undated', sweep.deleteUndatedByKeys(2)],
    ['doctor ping', doctor.selectOne],
    ['doctor tables', doctor.selectWarehouseTables],
    ['doctor probe table', doctor.createProbeTable('dw_stage.doctor_probe_0a1b2c3d')],
    ['doctor probe row', doctor.insertProbeRow('dw_stage.doctor_probe_0a1b2c3d')],
    ['mart lock', mart.refreshLockStatement('redshift')],
    ...mart
      .refreshStatements(martValues, 'redshift')
      .flatMap(({ table, statements }) => statements.map((s): [string, string] => [`mart ${table}`, s.sql])),
    ...mart.MART_TABLES.map((table): [string, string] => [`mart count ${table}`, mart.countDayRows(table)]),
    ...(
      [
        'readHeadlines',
        'readKeywords',
        'readBooks',
        'readLibraries',
        'readFailedKeywords',
        'readHourly',
        'readQueriesPerUser',
        'readRecentRequests',
        'readMovers',
      ] as const
    ).map((name): [string, string] => [`report ${name}`, mart[name]]),
    ...(Object.keys(STAGE_COLUMNS) as (keyof typeof STAGE_COLUMNS)[]).map((kind): [string, string] => [
      `COPY ${kind}`,
      copyStatement(settings, t[kind], STAGE_COLUMNS[kind], `libreport/staging/${t[kind]}/x.csv.gz`),
    ]),
    ...SEGMENT_KINDS.map((kind): [string, string] => [
      `COPY ${kind} manifest`,
      copyStatement(
        settings,
        t[kind],
        STAGE_COLUMNS[kind],
        `libreport/staging/${t.runKey}/segment-0/manifest-1-9-${kind}.json`,
        {
          manifest: true,
        },
      ),
    ]),
    ...RUN_LIFECYCLE,
  ];
  return list;
}

/** A statement as the adapter sends it: `$n` rewritten to `:pN`, with a string for every parameter. */
export function asSent(sql: string): { sql: string; parameters: { name: string; value: string }[] } {
  const count = Math.max(0, ...[...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
  return toNamedParameters(
    sql,
    Array.from({ length: count }, (_, i) => `v${i + 1}`),
  );
}
