import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { fail, pass, type DoctorCheck } from '../check';

/** Where rendered reports are archived (REPORT_DIR, or REPORT_S3_BUCKET) takes a probe write and delete. */
export const reportArchive: DoctorCheck = {
  name: 'report archive',
  async run({ config, s3 }) {
    const { dir, s3Bucket, s3Prefix } = config.report;
    const probe = `doctor-probe-${process.pid}-${Date.now()}`;
    if (s3Bucket) {
      const key = `${s3Prefix}/${probe}`;
      try {
        await s3().send(new PutObjectCommand({ Bucket: s3Bucket, Key: key, Body: 'probe' }));
        await s3().send(new DeleteObjectCommand({ Bucket: s3Bucket, Key: key }));
      } catch (error) {
        return fail(
          `cannot write s3://${s3Bucket}/${s3Prefix}/ (${(error as Error).name})`,
          'grant the worker s3:PutObject and s3:DeleteObject there, or fix REPORT_S3_BUCKET',
        );
      }
      return pass(`s3://${s3Bucket}/${s3Prefix}/ writable`);
    }
    try {
      await makeDirectory(dir);
      await writeFile(path.join(dir, probe), 'probe');
      await rm(path.join(dir, probe), { force: true });
    } catch (error) {
      return fail(
        `cannot write ${path.resolve(dir)} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
        'make it writable for the worker or set REPORT_DIR',
      );
    }
    return pass(`${path.resolve(dir)} writable`);
  },
};

/**
 * `mkdir -p` one level at a time: Node's recursive mkdir never returns for some paths (under /proc, say),
 * where a plain mkdir fails at once with a code worth showing.
 */
async function makeDirectory(dir: string): Promise<void> {
  const missing: string[] = [];
  let at = path.resolve(dir);
  while (!(await exists(at))) {
    missing.unshift(at);
    const parent = path.dirname(at);
    if (parent === at) break;
    at = parent;
  }
  for (const level of missing) await mkdir(level);
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
