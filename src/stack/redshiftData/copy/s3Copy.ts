import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { CopyCommand } from './copyCommand';
import { CsvRecordReader, type CsvField } from './csvRecords';

/** A COPY that failed the way Redshift's fails: the message Redshift gives, with the reason it files in STL_LOAD_ERRORS. */
export class LoadError extends Error {}

interface TargetColumn {
  readonly name: string;
  /** A CHAR/VARCHAR column, where Redshift's empty-field and length rules apply. */
  readonly character: boolean;
  /** Declared length in bytes (Redshift counts VARCHAR lengths in bytes), or 0. */
  readonly maxBytes: number;
}

/** Text handed to PostgreSQL's COPY at a time: big enough for few writes, small enough to keep memory flat. */
const CHUNK_CHARS = 256 * 1024;

/**
 * Runs a Redshift `COPY … FROM 's3://…'` on the engine connection: reads every object under the prefix (or the
 * manifest's entries) from S3, applies Redshift's CSV rules, and streams the rows into PostgreSQL's COPY, so
 * the load is one statement in the caller's transaction. Rules emulated (copy-parameters-data-conversion):
 * an unquoted field equal to NULL AS loads as NULL; an empty CHAR/VARCHAR field loads as '' unless EMPTYASNULL
 * (PostgreSQL would load NULL); an empty field of any other type loads as NULL; BLANKSASNULL; a CHAR/VARCHAR
 * value longer than its declared length in bytes fails the load.
 */
export async function copyFromS3(engine: Client, s3: S3Client, copy: CopyCommand): Promise<number> {
  const columns = await targetColumns(engine, copy);
  const keys = await sourceKeys(s3, copy);
  const names = columns.map((c) => `"${c.name.replace(/"/g, '""')}"`).join(', ');
  const sink = engine.query(copyFrom(`COPY ${copy.table} (${names}) FROM STDIN WITH (FORMAT csv)`));
  const finished = once(sink, 'finish');
  finished.catch(() => undefined);
  let rows = 0;
  try {
    for (const key of keys) rows += await loadObject(s3, copy, key, columns, sink);
    sink.end();
    await finished;
  } catch (error) {
    sink.destroy(error instanceof Error ? error : new Error(String(error)));
    await finished.catch(() => undefined);
    if (error instanceof LoadError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new LoadError(
      `Load into table '${copy.table}' failed. Check 'stl_load_errors' system table for details. (${reason})`,
    );
  }
  return rows;
}

async function loadObject(
  s3: S3Client,
  copy: CopyCommand,
  key: string,
  columns: readonly TargetColumn[],
  sink: NodeJS.WritableStream,
): Promise<number> {
  const object = await s3.send(new GetObjectCommand({ Bucket: copy.bucket, Key: key }));
  let body = object.Body as Readable;
  if (copy.gzip) body = body.pipe(createGunzip());
  body.setEncoding('utf8');
  const reader = new CsvRecordReader(copy.delimiter, copy.quote);
  let pending = '';
  let rows = 0;
  let failure: LoadError | undefined;
  const onRecord = (fields: CsvField[], line: number) => {
    if (failure || line <= copy.ignoreHeader) return;
    try {
      pending += postgresCsvLine(fields, columns, copy);
      rows++;
    } catch (error) {
      failure = new LoadError(
        `Load into table '${copy.table}' failed. Check 'stl_load_errors' system table for details. (s3://${copy.bucket}/${key} line ${line}: ${(error as Error).message})`,
      );
    }
  };
  for await (const chunk of body) {
    reader.push(chunk as string, onRecord);
    if (failure) throw failure;
    if (pending.length >= CHUNK_CHARS) {
      if (!sink.write(pending)) await once(sink, 'drain');
      pending = '';
    }
  }
  reader.end(onRecord);
  if (failure) throw failure;
  if (pending) sink.write(pending);
  return rows;
}

/** One Redshift CSV record as a PostgreSQL CSV line: NULL unquoted and empty, every value quoted. */
function postgresCsvLine(
  fields: readonly CsvField[],
  columns: readonly TargetColumn[],
  copy: CopyCommand,
): string {
  if (fields.length > columns.length)
    throw new Error(`Extra column(s) found (${fields.length} fields for ${columns.length} columns)`);
  if (fields.length < columns.length)
    throw new Error(`Delimiter not found (${fields.length} fields for ${columns.length} columns)`);
  let line = '';
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    const column = columns[i]!;
    if (i > 0) line += ',';
    if (!field.quoted && field.value === copy.nullAs) continue;
    if (field.value === '') {
      if (column.character && !copy.emptyAsNull) line += '""';
      continue;
    }
    if (column.character && copy.blanksAsNull && field.value.trim() === '') continue;
    if (column.character && column.maxBytes > 0 && Buffer.byteLength(field.value) > column.maxBytes) {
      throw new Error(
        `String length exceeds DDL length (column ${column.name}: ${Buffer.byteLength(field.value)} bytes for VARCHAR(${column.maxBytes}))`,
      );
    }
    line += `"${field.value.replace(/"/g, '""')}"`;
  }
  return line + '\n';
}

async function targetColumns(engine: Client, copy: CopyCommand): Promise<TargetColumn[]> {
  const { rows } = await engine.query<{ name: string; category: string; typmod: string; oid: string }>(
    `SELECT a.attname AS name, t.typcategory AS category, a.atttypmod AS typmod
     FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
     WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
    [copy.table],
  );
  if (rows.length === 0) throw new LoadError(`relation "${copy.table}" does not exist`);
  const all = rows.map((r) => ({
    name: r.name,
    character: r.category === 'S',
    maxBytes: r.category === 'S' && Number(r.typmod) > 4 ? Number(r.typmod) - 4 : 0,
  }));
  if (!copy.columns) return all;
  return copy.columns.map((name) => {
    const column = all.find((c) => c.name === name.replace(/^"|"$/g, ''));
    if (!column) throw new LoadError(`column "${name}" of relation "${copy.table}" does not exist`);
    return column;
  });
}

/** The objects a COPY reads: every key under the prefix, in key order, or the manifest's entries. */
async function sourceKeys(s3: S3Client, copy: CopyCommand): Promise<string[]> {
  try {
    if (copy.manifest) return await manifestKeys(s3, copy);
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({ Bucket: copy.bucket, Prefix: copy.key, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    if (keys.length === 0) throw new LoadError(`The specified S3 prefix '${copy.key}' does not exist`);
    return keys.sort();
  } catch (error) {
    if (error instanceof LoadError) throw error;
    const e = error as { name?: string; message?: string };
    throw new LoadError(
      `S3ServiceException:${e.message ?? e.name ?? String(error)} (s3://${copy.bucket}/${copy.key})`,
    );
  }
}

async function manifestKeys(s3: S3Client, copy: CopyCommand): Promise<string[]> {
  const object = await s3.send(new GetObjectCommand({ Bucket: copy.bucket, Key: copy.key }));
  const manifest = JSON.parse(await object.Body!.transformToString()) as { entries?: { url?: string }[] };
  const keys = (manifest.entries ?? []).map((entry) => {
    const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(entry.url ?? '');
    if (!match || match[1] !== copy.bucket)
      throw new LoadError(`manifest entry ${entry.url ?? '(no url)'} is not in bucket ${copy.bucket}`);
    return match[2]!;
  });
  if (keys.length === 0) throw new LoadError(`the manifest s3://${copy.bucket}/${copy.key} lists no files`);
  return keys;
}
