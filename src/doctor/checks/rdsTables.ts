import { selectRdsColumns } from '../../activities/sql/doctor';
import { fail, pass, type DoctorCheck } from '../check';

/** The RDS columns libreport reads (src/adapters/rds/schema.sql). */
export const RDS_COLUMNS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  user_choice: ['id', 'user_id', 'query_id', 'isbn13', 'chosen_at'],
  book_info: [
    'isbn13',
    'bookname',
    'authors',
    'publisher',
    'class_no',
    'reg_date',
    'book_image_url',
    'updated_at',
  ],
  staff: ['name', 'email', 'department', 'active'],
});

/** The service database has the tables and columns the RDS extract and the recipient list read. */
export const rdsTables: DoctorCheck = {
  name: 'rds tables',
  async run({ config, rds }) {
    let rows;
    try {
      rows = await rds().query<{ table_name: string; column_name: string }>(selectRdsColumns, [
        `{${Object.keys(RDS_COLUMNS).join(',')}}`,
      ]);
    } catch (error) {
      return fail(
        `RDS is not reachable: ${(error as Error).message.split('\n')[0]}`,
        'start PostgreSQL or fix RDS_URL',
      );
    }
    const present = new Set(rows.map((r) => `${r.table_name}.${r.column_name}`));
    const missing = Object.entries(RDS_COLUMNS).flatMap(([table, columns]) =>
      columns.map((c) => `${table}.${c}`).filter((c) => !present.has(c)),
    );
    if (missing.length === 0) return pass(`${Object.keys(RDS_COLUMNS).join(', ')} have every column read`);
    return fail(
      `missing ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}`,
      config.env === 'local'
        ? 'run "libreport setup" (or "libreport seed")'
        : 'point RDS_URL at the service database (schema in src/adapters/rds/schema.sql)',
    );
  },
};
