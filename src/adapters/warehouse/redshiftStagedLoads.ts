import { Readable, pipeline } from 'node:stream';
import { createGzip } from 'node:zlib';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { EncodedRows } from './encodedRows';
import type { StagedLoads } from './port';
import { copyManifest, stagedObjectKey, type CopySettings } from './redshiftCopy';
import { send, uploadStream } from './s3Staging';

/** DeleteObjects takes at most this many keys per request. */
const DELETE_BATCH = 1000;

/** Gzips a byte stream into one S3 object (multipart when large). */
export async function uploadGzip(
  s3: S3Client,
  bucket: string,
  key: string,
  body: Readable,
  partBytes?: number,
): Promise<void> {
  const compressed = pipeline(body, createGzip(), () => undefined);
  try {
    await uploadStream(s3, bucket, key, compressed, { partBytes, contentType: 'application/gzip' });
  } catch (error) {
    compressed.destroy();
    throw error;
  }
}

/** `StagedLoads` on the warehouse's S3 staging bucket and prefix. */
export function s3StagedLoads(s3: S3Client, settings: CopySettings, partBytes?: number): StagedLoads {
  const { bucket } = settings;
  const keyOf = (name: string) => stagedObjectKey(settings, name);

  async function deleteKeys(keys: readonly string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += DELETE_BATCH) {
      const batch = keys.slice(i, i + DELETE_BATCH);
      await send(`s3://${bucket}/${batch[0]}`, () =>
        s3.send(
          new DeleteObjectsCommand({
            Bucket: bucket,
            Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
          }),
        ),
      );
    }
  }

  return {
    put: (name, rows: EncodedRows) =>
      uploadGzip(s3, bucket, keyOf(name), Readable.from(rows.chunks()), partBytes),

    async putJson(name, value) {
      const key = keyOf(name);
      await send(`s3://${bucket}/${key}`, () =>
        s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: JSON.stringify(value),
            ContentType: 'application/json',
          }),
        ),
      );
    },

    async getJson<T>(name: string): Promise<T | undefined> {
      const key = keyOf(name);
      try {
        const object = await send(`s3://${bucket}/${key}`, () =>
          s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })),
        );
        return JSON.parse(await object.Body!.transformToString()) as T;
      } catch (error) {
        if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
        throw error;
      }
    },

    remove: (names) => deleteKeys(names.map(keyOf)),

    async removeUnder(prefix) {
      const keyPrefix = keyOf(prefix.replace(/\/+$/, '')) + (prefix.endsWith('/') ? '/' : '');
      let token: string | undefined;
      do {
        const page = await send(`s3://${bucket}/${keyPrefix}`, () =>
          s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: keyPrefix, ContinuationToken: token })),
        );
        const keys = (page.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : []));
        if (keys.length > 0) await deleteKeys(keys);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    },
  };
}

/** Writes the manifest of `names` as `manifest` and returns its key, for a `COPY … MANIFEST`. */
export async function putManifest(
  s3: S3Client,
  settings: CopySettings,
  manifest: string,
  names: readonly string[],
): Promise<string> {
  const key = stagedObjectKey(settings, manifest);
  const body = copyManifest(
    settings,
    names.map((name) => stagedObjectKey(settings, name)),
  );
  await send(`s3://${settings.bucket}/${key}`, () =>
    s3.send(
      new PutObjectCommand({
        Bucket: settings.bucket,
        Key: key,
        Body: body,
        ContentType: 'application/json',
      }),
    ),
  );
  return key;
}
