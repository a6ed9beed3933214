import { loadConfig } from '../../src/config/config';
import { ConfigError } from '../../src/errors';

const base = { LIBREPORT_ENV: 'local' };

describe('loadConfig', () => {
  it('defaults to the local stack with Seoul time and Korean reports', () => {
    const config = loadConfig(base, '/repo');
    expect(config.dynamo).toEqual({
      endpoint: 'http://127.0.0.1:4567',
      table: 'library_search',
      segments: 0,
    });
    expect(config.warehouse).toEqual({ kind: 'pg', url: 'postgres://postgres@127.0.0.1:5432/libreport_dw' });
    expect(config.report).toMatchObject({ timeZone: 'Asia/Seoul', locale: 'ko', dir: '/repo/reports' });
    expect(config.schedule).toMatchObject({ cron: '0 7 * * *', timeZone: 'Asia/Seoul' });
    expect(config.worker).toEqual({ maxConcurrentActivities: 8, heapGrowthPercent: 50 });
    expect(Object.isFrozen(config) && Object.isFrozen(config.temporal)).toBe(true);
  });

  it('leaves AWS endpoints to the SDK and defaults to the Redshift Data API in aws mode', () => {
    const config = loadConfig(
      {
        LIBREPORT_ENV: 'aws',
        REDSHIFT_WORKGROUP: 'wg',
        STAGING_S3_BUCKET: 'bucket',
        REDSHIFT_IAM_ROLE: 'arn:aws:iam::1:role/r',
      },
      '/repo',
    );
    expect(config.dynamo.endpoint).toBeUndefined();
    expect(config.ses.endpoint).toBeUndefined();
    expect(config.s3.endpoint).toBeUndefined();
    expect(config.warehouse).toMatchObject({ endpoint: undefined, engineUrl: undefined });
    expect(config.warehouse).toMatchObject({
      kind: 'redshift-data',
      workgroup: 'wg',
      stagingBucket: 'bucket',
    });
  });

  it('runs the redshift-data warehouse on the local stand-ins with local defaults', () => {
    const config = loadConfig({ ...base, WAREHOUSE_KIND: 'redshift-data' }, '/repo');
    expect(config.warehouse).toEqual({
      kind: 'redshift-data',
      clusterId: 'libreport-local',
      workgroup: undefined,
      database: 'dev',
      secretArn: undefined,
      dbUser: undefined,
      iamRole: 'arn:aws:iam::123456789012:role/libreport-local-copy',
      stagingBucket: 'libreport-staging',
      stagingPrefix: 'libreport/staging',
      endpoint: 'http://127.0.0.1:4569',
      engineUrl: 'postgres://postgres@127.0.0.1:5432/libreport_dw',
    });
    expect(config.s3.endpoint).toBe('http://127.0.0.1:4568');
  });

  it('treats an empty value as unset', () => {
    expect(loadConfig({ ...base, WAREHOUSE_KIND: '', REPORT_LOCALE: ' ' }, '/repo').warehouse.kind).toBe(
      'pg',
    );
  });

  it.each([
    [{ LIBREPORT_ENV: 'staging' }, /^LIBREPORT_ENV .*"staging"/],
    [{ DYNAMODB_ENDPOINT: 'not a url' }, /^DYNAMODB_ENDPOINT must be a URL/],
    [{ DYNAMODB_SEGMENTS: 'four' }, /^DYNAMODB_SEGMENTS /],
    [{ DYNAMODB_SEGMENTS: '-1' }, /^DYNAMODB_SEGMENTS must be 0 or more/],
    [{ REPORT_TIMEZONE: 'Mars/Base' }, /^REPORT_TIMEZONE must be an IANA time zone/],
    [{ REPORT_SENDER: 'nobody' }, /^REPORT_SENDER must be an email address/],
    [{ TEMPORAL_ADDRESS: 'localhost' }, /^TEMPORAL_ADDRESS must be host:port/],
    [{ DYNAMODB_TABLE: 'x; DROP TABLE y' }, /^DYNAMODB_TABLE must be a plain name/],
    [{ LIBREPORT_ENV: 'aws', WAREHOUSE_KIND: 'redshift-data' }, /REDSHIFT_CLUSTER_ID .* or REDSHIFT_WORKGROUP/],
    [{ LIBREPORT_ENV: 'aws', REDSHIFT_CLUSTER_ID: 'c1' }, /STAGING_S3_BUCKET/],
    [{ REDSHIFT_DATA_ENDPOINT: 'nowhere' }, /^REDSHIFT_DATA_ENDPOINT must be a URL/],
    [{ WORKER_HEAP_GROWTH_PERCENT: '500' }, /^WORKER_HEAP_GROWTH_PERCENT must be 300 or less/],
  ])('refuses %j with one line naming the variable', (env, message) => {
    let error: unknown;
    try {
      loadConfig({ ...base, ...env }, '/repo');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  it('never echoes a secret it refuses', () => {
    expect(() => loadConfig({ ...base, RDS_URL: 'postgres://u:hunter2@' }, '/repo')).toThrow(ConfigError);
    try {
      loadConfig({ ...base, TEMPORAL_ADDRESS: 'secret-host' }, '/repo');
    } catch (e) {
      expect((e as Error).message).toContain('secret-host');
    }
    try {
      loadConfig({ ...base, WAREHOUSE_URL: 'postgres://u:hunter2@host:notaport/db' }, '/repo');
    } catch (e) {
      expect((e as Error).message).not.toContain('hunter2');
    }
  });
});
