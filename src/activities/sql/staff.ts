/**
 * The staff directory's SQL (table `staff` in the RDS database, see src/adapters/rds/schema.sql). RDS is
 * PostgreSQL whichever warehouse is configured (`pgRds`), so these statements never reach Redshift and may
 * use PostgreSQL's JSON functions: rows travel as one JSON parameter, never spliced into the SQL text.
 * People are never deleted: the delivery ledger names past recipients, and a row that leaves stays, inactive.
 */

/** Who receives the report: every active member, by address. `sendReport` and `staff list` both read this. */
export const selectActiveStaff = `SELECT name, email, department FROM staff WHERE active ORDER BY email`;

/** Everyone in the directory, active or not, for an import to compare with. */
export const selectAllStaff = `SELECT id, name, email, department, active FROM staff ORDER BY id`;

/** How many members are inactive (kept for the ledger's history, sent nothing). */
export const countInactiveStaff = `SELECT COUNT(*) AS n FROM staff WHERE NOT active`;

/**
 * Taken first in an import's transaction: a second import waits for the first to commit, so each compares the
 * file with the directory it changes; readers (a send reading its recipients) are not blocked.
 */
export const lockStaff = `LOCK TABLE staff IN SHARE ROW EXCLUSIVE MODE`;

/** `$1`: a JSON array of {name, email, department}. */
export const insertStaff = `INSERT INTO staff (name, email, department, active)
SELECT name, email, department, true
FROM json_to_recordset($1::json) AS s(name text, email text, department text)`;

/** `$1`: a JSON array of {id, name, department}; also reactivates a returning member. */
export const updateStaff = `UPDATE staff SET name = s.name, department = s.department, active = true
FROM json_to_recordset($1::json) AS s(id integer, name text, department text)
WHERE staff.id = s.id`;

/** `$1`: a JSON array of ids. Deactivates, never deletes. */
export const deactivateStaff = `UPDATE staff SET active = false
WHERE id IN (SELECT CAST(value AS integer) FROM json_array_elements_text($1::json))`;
