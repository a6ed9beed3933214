import { loadConfig } from '../../../src/config/config';
import { ConfigError } from '../../../src/errors';
import { createRedshiftDataWarehouse } from '../../../src/adapters/warehouse/redshiftDataWarehouse';
import { CLUSTER_CONFIG, ROLE, rowsOf, useRedshiftDataAdapter } from './redshiftDataHarness';

/** Building the redshift-data adapter: staging settings it refuses, and from the loaded config. */
const rs = useRedshiftDataAdapter('rsconfig');
const { warehouse, statementsAfter, knownStatements, freshTable } = rs;

describe('redshiftDataWarehouse configuration', () => {
  it.each([
    [{ iamRole: "arn:aws:iam::123456789012:role/x' CREDENTIALS 'y" }, /REDSHIFT_IAM_ROLE/],
    [{ stagingBucket: "bucket'name" }, /STAGING_S3_BUCKET/],
    [{ stagingPrefix: "stage'/x" }, /STAGING_S3_PREFIX/],
    [{ stagingPrefix: 'a/../b' }, /STAGING_S3_PREFIX/],
  ])('rejects staging settings that could break out of the COPY literals: %p', (override, message) => {
    expect(() => warehouse({ config: { ...CLUSTER_CONFIG, ...override } })).toThrow(ConfigError);
    expect(() => warehouse({ config: { ...CLUSTER_CONFIG, ...override } })).toThrow(message);
  });

  it('accepts the cluster default role and writes it unquoted', async () => {
    const dw = warehouse({ config: { ...CLUSTER_CONFIG, iamRole: 'default' } });
    const table = await freshTable(dw, 'isbn13 VARCHAR(13)');
    const before = await knownStatements();
    await dw.copyIn(table, ['isbn13'], rowsOf([['1']]));
    const [copy] = await statementsAfter(before);
    expect(copy!.QueryString).toContain('\nIAM_ROLE default\n');
    expect(copy!.Status).toBe('FINISHED');
  });
});

describe('createRedshiftDataWarehouse', () => {
  it('builds a redshift warehouse from the loaded config that reaches the configured endpoints', async () => {
    const dw = createRedshiftDataWarehouse(loadConfig({ LIBREPORT_ENV: 'local', ...rs.standIns.env }));
    try {
      expect(dw.dialect).toBe('redshift');
      await expect(dw.query('SELECT CAST($1 AS INTEGER) + 1 AS n', [41])).resolves.toEqual([{ n: 42 }]);
    } finally {
      await dw.close();
    }
  });

  it('builds one for AWS without endpoints', async () => {
    const config = loadConfig({
      LIBREPORT_ENV: 'aws',
      REDSHIFT_WORKGROUP: 'libreport',
      REDSHIFT_IAM_ROLE: ROLE,
      STAGING_S3_BUCKET: 'libreport-staging',
    });
    expect(config.warehouse).not.toHaveProperty('endpoint', expect.any(String));
    const dw = createRedshiftDataWarehouse(config);
    expect(dw.dialect).toBe('redshift');
    await dw.close();
  });

  it('refuses a config whose warehouse is PostgreSQL', () => {
    expect(() => createRedshiftDataWarehouse(loadConfig({ LIBREPORT_ENV: 'local' }))).toThrow(ConfigError);
  });
});
