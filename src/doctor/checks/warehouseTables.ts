import { selectWarehouseTables } from '../../activities/sql/doctor';
import { MART_TABLES } from '../../activities/sql/mart';
import { fail, pass, skip, type DoctorCheck } from '../check';

/** The warehouse contract's tables (docs/architecture.md, "Warehouse contract") and the mart's. */
const REQUIRED = [
  ...[
    'search_query',
    'search_keyword',
    'search_library',
    'search_isbn13',
    'user_choice',
    'book_info',
    'quarantine',
    'load_audit',
    'delivery_ledger',
  ].map((t) => `dw.${t}`),
  ...MART_TABLES.map((t) => `mart.${t}`),
];

/** Every warehouse and mart table exists (runs create them too, but a report reader needs them first). */
export const warehouseTables: DoctorCheck = {
  name: 'warehouse tables',
  async run({ warehouse }) {
    let rows;
    try {
      rows = await warehouse().query<{ name: string }>(selectWarehouseTables);
    } catch {
      return skip('the warehouse is not reachable (see above)');
    }
    const present = new Set(rows.map((r) => r.name));
    const missing = REQUIRED.filter((t) => !present.has(t));
    return missing.length === 0
      ? pass(`${REQUIRED.length} dw and mart tables present`)
      : fail(
          `missing ${missing.slice(0, 4).join(', ')}${missing.length > 4 ? ` and ${missing.length - 4} more` : ''}`,
          'run "libreport setup"',
        );
  },
};
