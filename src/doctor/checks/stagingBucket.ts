import { DeleteObjectCommand, HeadBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { fail, pass, skip, type DoctorCheck } from '../check';

/**
 * Redshift only: the COPY staging bucket exists and this identity may write and delete under the prefix (a
 * probe object, removed again). Whether the Redshift role (REDSHIFT_IAM_ROLE) may read it shows only in a COPY.
 */
export const stagingBucket: DoctorCheck = {
  name: 'staging bucket',
  async run({ config, s3 }) {
    const w = config.warehouse;
    if (w.kind !== 'redshift-data') return skip('not used with WAREHOUSE_KIND=pg');
    const key = `${w.stagingPrefix}/doctor-probe-${Date.now()}`;
    try {
      await s3().send(new HeadBucketCommand({ Bucket: w.stagingBucket }));
    } catch (error) {
      return fail(
        `bucket "${w.stagingBucket}" is not reachable (${(error as Error).name})`,
        'create it or fix STAGING_S3_BUCKET; the worker needs s3:ListBucket on it',
      );
    }
    try {
      await s3().send(new PutObjectCommand({ Bucket: w.stagingBucket, Key: key, Body: 'probe' }));
      await s3().send(new DeleteObjectCommand({ Bucket: w.stagingBucket, Key: key }));
    } catch (error) {
      return fail(
        `cannot write s3://${w.stagingBucket}/${w.stagingPrefix}/ (${(error as Error).name})`,
        'grant the worker s3:PutObject and s3:DeleteObject on the staging prefix',
      );
    }
    return pass(`s3://${w.stagingBucket}/${w.stagingPrefix}/ writable; COPY uses ${w.iamRole}`);
  },
};
