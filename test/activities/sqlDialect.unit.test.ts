import { toNamedParameters } from '../../src/adapters/warehouse/redshiftParameters';
import {
  claimLedgerRowsPostgres,
  deleteClaims,
  insertLedgerRows,
  lockLedger,
  selectClaimed,
  selectUnknownReportRecipients,
  selectDayLoaded,
  markAbandonedClaimsUnknown,
  selectLedger,
  updateLedgerRows,
} from '../../src/activities/sql/delivery';
import {
  bookWatermark,
  insertAudit,
  loadedCountsQuery,
  replaceDayStatements,
  selectLoadedAudit,
} from '../../src/activities/sql/load';
import * as backfillSql from '../../src/activities/sql/backfill';
import * as statusSql from '../../src/activities/sql/status';
import * as sweepSql from '../../src/activities/sql/sweep';
import * as doctorSql from '../../src/activities/sql/doctor';
import { warehouseSchemaStatements } from '../../src/activities/warehouseSchema';
import {
  countCheckpoints,
  createRunRegistry,
  deleteCheckpoint,
  lockCheckpoints,
  createStagingTables,
  dropStagingTables,
  insertCheckpoint,
  selectCheckpoint,
  stagingTables,
} from '../../src/activities/sql/staging';

/** Spellings PostgreSQL accepts and Redshift refuses (or means differently). */
const POSTGRES_ONLY =
  /::|\bFILTER\s*\(|DISTINCT\s+ON|generate_series|ON\s+CONFLICT|RETURNING|string_agg|\bSERIAL\b|\bTEXT\b|\bJSONB?\b|ILIKE|UNLOGGED/i;

const tables = stagingTables('r20240516_abcdef123456');
const pipelineSql: [string, string][] = [
  ...warehouseSchemaStatements('redshift').map((sql): [string, string] => ['warehouse DDL', sql]),
  ['run registry', createRunRegistry],
  ...createStagingTables(tables, 'redshift').map((sql): [string, string] => ['staging DDL', sql]),
  ...dropStagingTables(tables).map((sql): [string, string] => ['staging drop', sql]),
  ['checkpoint', insertCheckpoint(tables)],
  ['checkpoint lock', lockCheckpoints(tables)],
  ['checkpoint delete', deleteCheckpoint(tables)],
  ['checkpoint count', countCheckpoints(tables)],
  ['checkpoint read', selectCheckpoint(tables)],
  ...replaceDayStatements(tables, 'redshift').map((sql): [string, string] => ['day replace', sql]),
  ['reconcile', loadedCountsQuery(tables, 'warehouse', 'redshift')],
  ['reconcile staged', loadedCountsQuery(tables, 'staging', 'redshift')],
  ['loaded audit', selectLoadedAudit],
  ['audit', insertAudit],
  ['watermark', bookWatermark],
  ['ledger read', selectLedger],
  ['ledger lock', lockLedger],
  ['ledger claimed', selectClaimed(3)],
  ['ledger claim', insertLedgerRows(3)],
  ['ledger settle', updateLedgerRows(3)],
  ['ledger release', deleteClaims(3)],
  ['ledger unknown', markAbandonedClaimsUnknown],
  ['ledger unknown recipients', selectUnknownReportRecipients],
  ['resend day loaded', selectDayLoaded],
  ['backfill audit table', backfillSql.auditTableExists],
  ['backfill outcomes', backfillSql.lastOutcomePerDay],
  ['status ledger table', statusSql.ledgerTableExists],
  ['status quarantine table', statusSql.quarantineTableExists],
  ['status loads', statusSql.selectRunAudits(3)],
  ['status emails', statusSql.countDailyDeliveries(3)],
  ['status undated', statusSql.countUndatedByReason],
  ['sweep lock', sweepSql.lockQuarantine('redshift')],
  ['sweep replace undated', sweepSql.deleteUndatedByKeys(3)],
  ['doctor ping', doctorSql.selectOne],
  ['doctor tables', doctorSql.selectWarehouseTables],
  ['doctor probe table', doctorSql.createProbeTable('dw_stage.doctor_probe_0a1b2c3d')],
  ['doctor probe row', doctorSql.insertProbeRow('dw_stage.doctor_probe_0a1b2c3d')],
];

describe('pipeline SQL stays in the dialect subset PostgreSQL and Redshift share', () => {
  it.each(pipelineSql)('%s: %s', (_what, sql) => {
    expect(sql).not.toMatch(POSTGRES_ONLY);
    // Every value is a numbered parameter, and the Redshift Data API rendering names each one.
    const count = Math.max(0, ...[...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
    const rendered = toNamedParameters(
      sql,
      Array.from({ length: count }, (_, i) => `v${i + 1}`),
    );
    expect(rendered.sql).not.toMatch(/\$\d/);
  });

  it('partitions the day tables by day on PostgreSQL only, with staging proven to hold one day', () => {
    expect(
      warehouseSchemaStatements('postgres').filter((sql) => /PARTITION BY LIST \(query_date\)$/.test(sql)),
    ).toHaveLength(4);
    expect(warehouseSchemaStatements('redshift').some((sql) => sql.includes('PARTITION'))).toBe(false);
    const postgresStaging = createStagingTables(tables, 'postgres');
    expect(
      postgresStaging.filter((sql) => sql.includes("CHECK (query_date = DATE '2024-05-16')")),
    ).toHaveLength(4);
    expect(createStagingTables(tables, 'redshift').some((sql) => sql.includes('CHECK'))).toBe(false);
    expect(
      replaceDayStatements(tables, 'postgres').filter((sql) => sql.includes('ATTACH PARTITION')),
    ).toHaveLength(4);
    expect(replaceDayStatements(tables, 'redshift').some((sql) => sql.includes('PARTITION'))).toBe(false);
  });

  it('claims ledger rows with ON CONFLICT on PostgreSQL only (Redshift claims under LOCK instead)', () => {
    expect(claimLedgerRowsPostgres(2)).toMatch(
      /ON CONFLICT \(report_date, kind, delivery_key, recipient\) DO NOTHING/,
    );
    expect(lockLedger).toBe('LOCK dw.delivery_ledger');
  });

  it('names staging tables only from a validated run key', () => {
    expect(() => stagingTables('r20240516_x; DROP TABLE dw.search_query')).toThrow(/invalid run key/);
    expect(tables.keywords).toBe('dw_stage.kw_r20240516_abcdef123456');
  });
});
