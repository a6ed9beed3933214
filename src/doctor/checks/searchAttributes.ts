import { PermissionDeniedError } from '../../errors';
import { missingSearchAttributes } from '../../temporal/searchAttributes';
import { fail, pass, skip, type DoctorCheck } from '../check';

/** The namespace has libreport's search attributes (runs work without them, unmarked in the Web UI). */
export const searchAttributes: DoctorCheck = {
  name: 'search attributes',
  async run({ config, temporal }) {
    const namespace = config.temporal.namespace;
    let client;
    try {
      client = await temporal();
    } catch {
      return skip('Temporal is not reachable (see above)');
    }
    try {
      const missing = await missingSearchAttributes(client, namespace);
      return missing.length === 0
        ? pass(`namespace "${namespace}" has ReportDate, ReportStage, ReportOutcome`)
        : fail(
            `namespace "${namespace}" lacks ${missing.join(', ')} (runs go on, without Web UI filters)`,
            'run "libreport setup" with operator rights',
          );
    } catch (error) {
      if (error instanceof PermissionDeniedError)
        return fail(error.message, 'grant this identity namespace read access');
      throw error;
    }
  },
};
