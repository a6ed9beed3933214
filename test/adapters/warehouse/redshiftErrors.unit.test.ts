import { failedStatementError } from '../../../src/adapters/warehouse/redshiftErrors';
import { StatementFailedError, TransientConflictError } from '../../../src/errors';

describe('failedStatementError', () => {
  it('retries a CREATE … IF NOT EXISTS that lost a race to create the same object', () => {
    const error = failedStatementError(
      'id-1',
      'FAILED',
      'ERROR: type "runs" already exists',
      'CREATE TABLE IF NOT EXISTS dw_stage.runs ( run_key VARCHAR(64) NOT NULL, …',
    );
    expect(error).toBeInstanceOf(TransientConflictError);
    expect(error.message).toMatch(/another run created it at the same time/);
  });

  it('does not retry "already exists" from a CREATE without IF NOT EXISTS, which would fail again', () => {
    const error = failedStatementError(
      'id-2',
      'FAILED',
      'ERROR: relation "t1" already exists',
      'CREATE TABLE t1 (a INTEGER)',
    );
    expect(error).toBeInstanceOf(StatementFailedError);
  });

  it('retries a serialization conflict and keeps other SQL errors final', () => {
    expect(
      failedStatementError(
        'id-3',
        'FAILED',
        'ERROR: 1023 DETAIL: Serializable isolation violation',
        'INSERT …',
      ),
    ).toBeInstanceOf(TransientConflictError);
    expect(failedStatementError('id-4', 'FAILED', 'ERROR: syntax error', 'SELEC 1')).toBeInstanceOf(
      StatementFailedError,
    );
  });
});
