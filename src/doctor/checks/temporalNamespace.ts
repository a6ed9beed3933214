import { fail, pass, type DoctorCheck } from '../check';

/** The frontend answers and the namespace exists. */
export const temporalNamespace: DoctorCheck = {
  name: 'temporal',
  async run({ config, temporal }) {
    const { address, namespace } = config.temporal;
    let client;
    try {
      client = await temporal();
    } catch (error) {
      return fail(
        (error as Error).message.split(';')[0]!,
        'start Temporal ("libreport stack up" locally) or set TEMPORAL_ADDRESS and its TLS/API key',
      );
    }
    try {
      await client.workflowService.describeNamespace({ namespace });
    } catch (error) {
      if ((error as { code?: number }).code === 5)
        return fail(
          `namespace "${namespace}" does not exist at ${address}`,
          'create it or set TEMPORAL_NAMESPACE',
        );
      throw error;
    }
    return pass(`reachable at ${address}, namespace "${namespace}"`);
  },
};
