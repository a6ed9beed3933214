import type { DoctorCheck, DoctorContext } from '../../src/doctor/check';
import { runChecks } from '../../src/doctor/runChecks';

describe('runChecks', () => {
  const context = {} as DoctorContext;

  it('fails a check that does not answer in time and goes on with the next', async () => {
    const hung: DoctorCheck = { name: 'hung', run: () => new Promise(() => undefined) };
    const fine: DoctorCheck = { name: 'fine', run: async () => ({ status: 'pass', detail: 'ok' }) };
    const reports = await runChecks([hung, fine], context, 50);
    expect(reports).toEqual([
      expect.objectContaining({ check: 'hung', status: 'fail', detail: 'no answer within 0.05 s' }),
      { check: 'fine', status: 'pass', detail: 'ok' },
    ]);
  });

  it('fails a check that throws with the first line of its error', async () => {
    const broken: DoctorCheck = {
      name: 'broken',
      run: async () => {
        throw new TypeError('bad thing\nmore detail');
      },
    };
    const [report] = await runChecks([broken], context, 1000);
    expect(report).toMatchObject({ status: 'fail', detail: 'TypeError: bad thing' });
  });
});
