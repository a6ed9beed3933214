import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
  type CompletedPart,
  type S3Client,
} from '@aws-sdk/client-s3';
import { MissingResourceError, ServiceUnavailableError } from '../../errors';
import { connectionErrorCode } from './networkErrors';

/** S3 refuses multipart parts smaller than this, except the last one. */
export const MIN_PART_BYTES = 5 * 1024 * 1024;
/** Default part size: big enough that a day's load needs few requests, small enough to bound memory. */
export const DEFAULT_PART_BYTES = 8 * 1024 * 1024;

export interface StagedObject {
  readonly bucket: string;
  readonly key: string;
  readonly bytes: number;
  /** False when the body fit in one part and went up with a single PutObject. */
  readonly multipart: boolean;
  readonly parts: number;
}

/**
 * Uploads a byte stream to one S3 object holding at most one part in memory: a single PutObject when
 * the stream fits one part, otherwise a multipart upload (aborted if anything fails, so no orphaned
 * parts are billed). Parts are uploaded one at a time, which also pushes back on the producer.
 */
export async function uploadStream(
  s3: S3Client,
  bucket: string,
  key: string,
  body: AsyncIterable<Buffer>,
  options: { partBytes?: number; contentType?: string } = {},
): Promise<StagedObject> {
  const partBytes = Math.max(options.partBytes ?? DEFAULT_PART_BYTES, MIN_PART_BYTES);
  const where = `s3://${bucket}/${key}`;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let bytes = 0;
  let uploadId: string | undefined;
  const parts: CompletedPart[] = [];

  const uploadPart = async (data: Buffer) => {
    if (!uploadId) {
      const created = await send(where, () =>
        s3.send(
          new CreateMultipartUploadCommand({
            Bucket: bucket,
            Key: key,
            ContentType: options.contentType,
            ChecksumAlgorithm: 'CRC32',
          }),
        ),
      );
      if (!created.UploadId) throw new ServiceUnavailableError(`S3 returned no upload id for ${where}`);
      uploadId = created.UploadId;
    }
    const partNumber = parts.length + 1;
    const out = await send(where, () =>
      s3.send(
        new UploadPartCommand({
          Bucket: bucket,
          Key: key,
          UploadId: uploadId,
          PartNumber: partNumber,
          Body: data,
          ChecksumAlgorithm: 'CRC32',
        }),
      ),
    );
    parts.push({ PartNumber: partNumber, ETag: out.ETag, ChecksumCRC32: out.ChecksumCRC32 });
  };

  try {
    for await (const chunk of body) {
      pending.push(chunk);
      pendingBytes += chunk.length;
      bytes += chunk.length;
      if (pendingBytes >= partBytes) {
        const data = Buffer.concat(pending);
        pending = [];
        pendingBytes = 0;
        await uploadPart(data);
      }
    }
    const rest = Buffer.concat(pending);
    if (!uploadId) {
      await send(where, () =>
        s3.send(
          new PutObjectCommand({ Bucket: bucket, Key: key, Body: rest, ContentType: options.contentType }),
        ),
      );
      return { bucket, key, bytes, multipart: false, parts: 1 };
    }
    if (rest.length > 0) await uploadPart(rest);
    await send(where, () =>
      s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: key,
          UploadId: uploadId,
          MultipartUpload: { Parts: parts },
        }),
      ),
    );
    return { bucket, key, bytes, multipart: true, parts: parts.length };
  } catch (error) {
    if (uploadId) {
      await s3
        .send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }))
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
