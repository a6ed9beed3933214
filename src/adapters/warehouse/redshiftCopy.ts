import { randomUUID } from 'node:crypto';
import { ConfigError, UserInputError } from '../../errors';
import type { RedshiftWarehouseConfig } from '../../config/config';
import { csvLine } from './csv';
import { identifier, type CopyValue } from './port';

/**
 * How a NULL travels in the staged CSV: a field holding one NUL character, loaded with `NULL AS '\0'`.
 *
 * Redshift's COPY cannot tell an unquoted empty field from a quoted `""` the way PostgreSQL does:
 * without options an empty CHAR/VARCHAR field loads as '' (so NULLs would become ''), and
 * EMPTYASNULL / BLANKSASNULL turn every empty string into NULL. Redshift documents `NULL AS '\0'` for
 * fields that consist of a NUL, and no real value can collide with it because NUL is rejected in
 * text (PostgreSQL and Redshift VARCHAR cannot hold it either). So '' stays '' and NULL stays NULL.
 */
export const CSV_NULL = '\u0000';

/** One row as a CSV line for Redshift: `csvLine`'s quoting, with NULL spelled as `CSV_NULL`. */
export function redshiftCsvLine(row: readonly CopyValue[]): string {
  let line = '';
  for (let i = 0; i < row.length; i++) {
    if (i > 0) line += ',';
    const value = row[i];
    if (value === null || value === undefined) {
      line += CSV_NULL;
      continue;
    }
    if (typeof value === 'string' && value.includes(CSV_NULL)) {
      throw new UserInputError(
        `a value for column ${i + 1} contains a NUL character, which the warehouse cannot store`,
      );
    }
    line += csvLine([value]).slice(0, -1);
  }
  return line + '\n';
}

/** The staging settings COPY needs, checked once so none of them can break out of a SQL literal. */
export interface CopySettings {
  readonly bucket: string;
  readonly prefix: string;
  /** An IAM role ARN, or `default` for the role attached to the cluster as its default. */
  readonly iamRole: string;
  readonly region?: string;
}

export function copySettings(config: RedshiftWarehouseConfig, region?: string): CopySettings {
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(config.stagingBucket)) {
    throw new ConfigError(`STAGING_S3_BUCKET must be an S3 bucket name (got "${config.stagingBucket}")`);
  }
  const prefix = config.stagingPrefix.replace(/^\/+|\/+$/g, '');
  if (
    !/^[A-Za-z0-9!_.*()/-]*$/.test(prefix) ||
    prefix.split('/').some((part) => part === '..' || part === '.')
  ) {
    throw new ConfigError(
      `STAGING_S3_PREFIX may hold only letters, digits and ! _ . * ( ) / - (got "${config.stagingPrefix}")`,
    );
  }
  if (
    config.iamRole !== 'default' &&
    !/^arn:aws[a-z-]*:iam::\d{12}:role\/[A-Za-z0-9+=,.@_/-]+$/.test(config.iamRole)
  ) {
    throw new ConfigError(
      `REDSHIFT_IAM_ROLE must be an IAM role ARN such as arn:aws:iam::123456789012:role/redshift-copy, or "default"`,
    );
  }
  if (region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) {
    throw new ConfigError(`AWS_REGION must be an AWS region such as ap-northeast-2 (got "${region}")`);
  }
  return { bucket: config.stagingBucket, prefix, iamRole: config.iamRole, region };
}

/** A plain or schema-qualified table name, checked like every identifier we splice into SQL. */
export function tableName(table: string): string {
  const parts = table.split('.');
  if (parts.length > 2) throw new Error(`"${table}" is not a table name (at most schema.table)`);
  return parts.map(identifier).join('.');
}

/** A fresh object key for one load: `<prefix>/<table>/<uuid>.csv.gz`. */
export function stagingKey(settings: CopySettings, table: string): string {
  const name = `${tableName(table)}/${randomUUID()}.csv.gz`;
  return settings.prefix ? `${settings.prefix}/${name}` : name;
}

/**
 * The COPY that loads one staged gzip CSV object, or with `manifest` every object a manifest at `key` lists.
 * No EMPTYASNULL/BLANKSASNULL (they would turn '' into NULL) and no ACCEPTINVCHARS/TRUNCATECOLUMNS (they
 * would change data silently: a bad row must fail).
 */
export function copyStatement(
  settings: CopySettings,
  table: string,
  columns: readonly string[],
  key: string,
  options: { readonly manifest?: boolean } = {},
): string {
  if (columns.length === 0) throw new Error(`COPY into ${table} needs at least one column`);
  const role = settings.iamRole === 'default' ? 'default' : `'${settings.iamRole}'`;
  return [
    `COPY ${tableName(table)} (${columns.map(identifier).join(', ')})`,
    `FROM 's3://${settings.bucket}/${key}'`,
    `IAM_ROLE ${role}`,
    ...(settings.region ? [`REGION '${settings.region}'`] : []),
    ...(options.manifest ? ['MANIFEST'] : []),
    `FORMAT AS CSV GZIP`,
    `NULL AS '\\0'`,
    `DATEFORMAT 'auto' TIMEFORMAT 'auto'`,
    // Loads replace a day in tables that are often empty; skip the compression analysis COPY would run then.
    `COMPUPDATE OFF`,
  ].join('\n');
}

/** The key of a staged object named `name` (a caller-chosen path under the staging prefix). */
export function stagedObjectKey(settings: CopySettings, name: string): string {
  if (
    !/^[A-Za-z0-9_./-]+$/.test(name) ||
    name.split('/').some((part) => part === '..' || part === '.' || part === '')
  ) {
    throw new Error(`"${name}" is not a staged object name (letters, digits, _ . - and / between parts)`);
  }
  return settings.prefix ? `${settings.prefix}/${name}` : name;
}

/** A COPY manifest listing exactly `keys`, each mandatory: a missing object fails the COPY. */
export function copyManifest(settings: CopySettings, keys: readonly string[]): string {
  return JSON.stringify({
    entries: keys.map((key) => ({ url: `s3://${settings.bucket}/${key}`, mandatory: true })),
  });
}
