/**
 * What `libreport doctor` asks the warehouse (PostgreSQL or Redshift) and the RDS database (PostgreSQL).
 * Every value is a numbered parameter.
 */

/** The warehouse answers at all. */
export const selectOne = 'SELECT 1';

/** Every table in the warehouse's `dw` and `mart` schemas, as `schema.table`. */
export const selectWarehouseTables = `SELECT table_schema || '.' || table_name AS name FROM information_schema.tables
  WHERE table_schema IN ('dw', 'mart')`;

/** A throwaway table in `dw_stage` (in a transaction that is rolled back): may this identity create and fill one? */
export const createProbeTable = (table: string) => `CREATE TABLE ${table} (probe integer)`;
export const insertProbeRow = (table: string) => `INSERT INTO ${table} (probe) VALUES (1)`;

/** RDS (always PostgreSQL): the columns of the tables in `$1` (a text array) in the current schema. */
export const selectRdsColumns = `SELECT table_name, column_name FROM information_schema.columns
  WHERE table_schema = current_schema() AND table_name = ANY($1)`;
