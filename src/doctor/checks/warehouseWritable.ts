import { randomBytes } from 'node:crypto';
import { createProbeTable, insertProbeRow, selectOne } from '../../activities/sql/doctor';
import { fail, pass, type DoctorCheck } from '../check';

/** Thrown inside the probe transaction so it always rolls back. */
class ProbeRollback extends Error {}

/**
 * The warehouse answers (`SELECT 1`; on Redshift a Data API ExecuteStatement) and this identity may create and
 * fill a table in `dw_stage`, where runs stage: done inside a transaction that is rolled back, so nothing stays.
 */
export const warehouseWritable: DoctorCheck = {
  name: 'warehouse',
  async run({ config, warehouse }) {
    const kind = config.warehouse.kind;
    const w = warehouse();
    try {
      await w.query(selectOne);
    } catch (error) {
      return fail(
        `${kind} warehouse is not reachable: ${firstLine(error)}`,
        kind === 'pg'
          ? 'start PostgreSQL or fix WAREHOUSE_URL'
          : 'check REDSHIFT_* settings and the redshift-data:ExecuteStatement permission',
      );
    }
    const table = `dw_stage.doctor_probe_${randomBytes(4).toString('hex')}`;
    try {
      await w.transaction(async (tx) => {
        await tx.query(createProbeTable(table));
        await tx.query(insertProbeRow(table));
        throw new ProbeRollback();
      });
    } catch (error) {
      if (!(error instanceof ProbeRollback))
        return fail(
          `cannot create tables in dw_stage: ${firstLine(error)}`,
          'run "libreport setup"; the warehouse user needs CREATE on schemas dw, dw_stage and mart',
        );
    }
    return pass(`${kind} reachable; dw_stage writable`);
  },
};

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}
