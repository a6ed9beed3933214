import type { Readable } from 'node:stream';
import { AbortMultipartUploadCommand, DeleteObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { MissingResourceError, ServiceUnavailableError } from '../../errors';
import { connectionErrorCode } from './networkErrors';

/** S3 refuses multipart parts smaller than this, except the last one. */
export const MIN_PART_BYTES = 5 * 1024 * 1024;
/** Default part size: big enough that a day's load needs few requests, small enough to bound memory. */
export const DEFAULT_PART_BYTES = 8 * 1024 * 1024;

/**
 * Uploads a byte stream to one S3 object with `@aws-sdk/lib-storage`: a single PutObject when the stream
 * fits one part, otherwise a multipart upload, aborted if anything fails (the stream included) so no
 * orphaned parts are billed.
 */
export async function uploadStream(
  s3: S3Client,
  bucket: string,
  key: string,
  body: Readable,
  options: { partBytes?: number; contentType?: string } = {},
): Promise<void> {
  const upload = new Upload({
    client: s3,
    params: { Bucket: bucket, Key: key, Body: body, ContentType: options.contentType },
    partSize: Math.max(options.partBytes ?? DEFAULT_PART_BYTES, MIN_PART_BYTES),
    // One part in flight at a time: an upload holds about two parts in memory (one sending, one filling),
    // and a slow S3 pushes back on the producer (the scan) instead of letting parts pile up.
    queueSize: 1,
    // We abort ourselves: lib-storage's own abort throws its failure in place of the error that caused it,
    // and that error (a refused row, an unreachable S3) is what decides whether the load is retried.
    leavePartsOnError: true,
  });
  try {
    await send(`s3://${bucket}/${key}`, () => upload.done());
  } catch (error) {
    if (upload.uploadId) {
      await s3
        .send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: upload.uploadId }))
        .catch(() => undefined);
    }
    throw error;
  }
}

/** Deletes a staged object; a failure is reported to the caller, who decides whether it matters. */
export async function deleteStaged(s3: S3Client, bucket: string, key: string): Promise<void> {
  await send(`s3://${bucket}/${key}`, () => s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })));
}

/** One S3 call, its failures mapped to our kinds: an unreachable endpoint or a missing bucket. */
export async function send<T>(where: string, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    const e = error as { name?: string };
    const code = connectionErrorCode(error);
    if (code)
      throw new ServiceUnavailableError(`S3 is not reachable for ${where} (${code}); it will be retried`);
    if (e.name === 'NoSuchBucket')
      throw new MissingResourceError(`the S3 bucket for ${where} does not exist`);
    throw error;
  }
}
