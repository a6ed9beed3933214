import { DeleteObjectCommand, HeadBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  GetAccountSendingEnabledCommand,
  GetIdentityVerificationAttributesCommand,
  GetSendQuotaCommand,
  SESClient,
} from '@aws-sdk/client-ses';
import { mockClient } from 'aws-sdk-client-mock';
import { loadConfig } from '../../src/config/config';
import type { DoctorContext } from '../../src/doctor/check';
import { DOCTOR_CHECKS } from '../../src/doctor/checks';
import { runChecks } from '../../src/doctor/runChecks';

/** The AWS-only checks, against mocked SES and S3 (no AWS account here). */
const config = loadConfig({
  LIBREPORT_ENV: 'aws',
  REPORT_SENDER: 'report@example.com',
  REDSHIFT_WORKGROUP: 'analytics',
  REDSHIFT_SECRET_ARN: 'arn:aws:secretsmanager:ap-northeast-2:1:secret:x',
  REDSHIFT_IAM_ROLE: 'arn:aws:iam::1:role/copy',
  STAGING_S3_BUCKET: 'staging-bucket',
  REPORT_S3_BUCKET: 'report-bucket',
});
const ses = mockClient(SESClient);
const s3 = mockClient(S3Client);
const context = {
  config,
  ses: () => new SESClient({ region: 'ap-northeast-2' }),
  s3: () => new S3Client({ region: 'ap-northeast-2' }),
} as unknown as DoctorContext;

async function check(name: string) {
  const [report] = await runChecks(
    DOCTOR_CHECKS.filter((c) => c.name === name),
    context,
  );
  return report!;
}

beforeEach(() => {
  ses.reset();
  s3.reset();
});

describe('doctor on AWS', () => {
  it('ses sender: passes when sending is on and the domain is verified; fails otherwise', async () => {
    ses.on(GetAccountSendingEnabledCommand).resolves({ Enabled: true });
    ses.on(GetIdentityVerificationAttributesCommand).resolves({
      VerificationAttributes: { 'example.com': { VerificationStatus: 'Success' } },
    });
    expect(await check('ses sender')).toMatchObject({
      status: 'pass',
      detail: expect.stringContaining('example.com verified'),
    });

    ses.on(GetIdentityVerificationAttributesCommand).resolves({
      VerificationAttributes: { 'report@example.com': { VerificationStatus: 'Pending' } },
    });
    expect(await check('ses sender')).toMatchObject({
      status: 'fail',
      detail: 'report@example.com is not verified in ap-northeast-2 (neither the address nor example.com)',
    });
    ses.on(GetAccountSendingEnabledCommand).resolves({ Enabled: false });
    expect(await check('ses sender')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('paused'),
    });
  });

  it('ses account: fails in the sandbox', async () => {
    ses.on(GetSendQuotaCommand).resolves({ Max24HourSend: 50_000 });
    expect(await check('ses account')).toMatchObject({ status: 'pass' });
    ses.on(GetSendQuotaCommand).resolves({ Max24HourSend: 200 });
    expect(await check('ses account')).toMatchObject({
      status: 'fail',
      fix: 'request production access for SES in this region',
    });
  });

  it('staging bucket: probes with a put and a delete; fails when the bucket is missing or read-only', async () => {
    s3.on(HeadBucketCommand).resolves({});
    s3.on(PutObjectCommand).resolves({});
    s3.on(DeleteObjectCommand).resolves({});
    expect(await check('staging bucket')).toMatchObject({ status: 'pass' });
    expect(s3.commandCalls(DeleteObjectCommand)[0]!.args[0].input.Key).toMatch(
      /^libreport\/staging\/doctor-probe-/,
    );

    s3.on(PutObjectCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
    expect(await check('staging bucket')).toMatchObject({
      status: 'fail',
      detail: 'cannot write s3://staging-bucket/libreport/staging/ (AccessDenied)',
    });
    s3.on(HeadBucketCommand).rejects(Object.assign(new Error('nope'), { name: 'NotFound' }));
    expect(await check('staging bucket')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('NotFound'),
    });
  });

  it('report archive: an S3 bucket takes a probe object', async () => {
    s3.on(PutObjectCommand).resolves({});
    s3.on(DeleteObjectCommand).resolves({});
    expect(await check('report archive')).toMatchObject({
      status: 'pass',
      detail: 's3://report-bucket/libreport/reports/ writable',
    });
    s3.on(PutObjectCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
    expect(await check('report archive')).toMatchObject({ status: 'fail' });
  });
});
