import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { send } from '../warehouse/s3Staging';
import { reportKey, type ReportStore } from './port';

/** Reports as S3 objects under `s3://<bucket>/<prefix>/`; a PutObject replaces an object atomically. */
export function s3ReportStore(s3: S3Client, bucket: string, prefix: string): ReportStore {
  const base = prefix.replace(/^\/+|\/+$/g, '');
  const objectKey = (key: string) => (base ? `${base}/${reportKey(key)}` : reportKey(key));

  return {
    async put(key, body, contentType) {
      const target = objectKey(key);
      const location = `s3://${bucket}/${target}`;
      await send(location, () =>
        s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: target,
            Body: typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
            ContentType: contentType,
          }),
        ),
      );
      return location;
    },

    async get(key) {
      const target = objectKey(key);
      try {
        const out = await send(`s3://${bucket}/${target}`, () =>
          s3.send(new GetObjectCommand({ Bucket: bucket, Key: target })),
        );
        return out.Body ? Buffer.from(await out.Body.transformToByteArray()) : Buffer.alloc(0);
      } catch (error) {
        const name = (error as { name?: string }).name;
        if (name === 'NoSuchKey' || name === 'NotFound') return null;
        throw error;
      }
    },
  };
}
