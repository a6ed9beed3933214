import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { MessageRejectedError, type Mailer } from '../../src/adapters/mailer/port';
import { createActivities } from '../../src/activities';
import { receivedEmails, type StoredEmail } from '../../src/stack/ses';
import { activitySettings } from '../../src/worker/ports';
import { dailyReport, dailyReportId } from '../../src/workflows/dailyReport';
import { emailRenditionKey } from '../../src/report/emailRendition';
import { resendReport, resendReportId } from '../../src/workflows/resendReport';
import {
  createPipelineHarness,
  WAREHOUSE_KINDS,
  workflowBundle,
  type PipelineHarness,
} from '../support/pipeline';
import { dayFixture } from '../support/searchItems';
import { createLocalWorkflowEnvironment } from '../support/stack';

const DAY = '2024-06-03';

function imageSources(html: string): string[] {
  return [...html.matchAll(/<img[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]!);
}

function visibleText(html: string): string {
  const body = html.slice(html.indexOf('<body'));
  return body
    .replace(/<style[\s\S]*?<\/style>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

describe.each(WAREHOUSE_KINDS)(
  'delivery on the %s warehouse: the report reaches every active employee exactly once',
  (kind) => {
    let env: TestWorkflowEnvironment;
    let h: PipelineHarness;
    // A domain of this run's own, so mail from other suites in the shared SES stand-in never counts here.
    const domain = `d${process.pid}${Math.floor(Math.random() * 1e6)}.example`;
    const active = ['ann', 'bob', 'cho'].map((name) => `${name}@${domain}`);
    const rejected = `reject-me@${domain}`;
    const sentMailer = { calls: 0 };

    function mailerRejecting(inner: Mailer): Mailer {
      return {
        async sendRaw(email) {
          sentMailer.calls++;
          if (email.destinations.includes(rejected))
            throw new MessageRejectedError(`Address blacklisted: ${rejected}`);
          return inner.sendRaw(email);
        },
      };
    }

    async function withWorker<T>(run: () => Promise<T>): Promise<T> {
      const worker = await Worker.create({
        connection: env.nativeConnection,
        taskQueue: h.config.temporal.taskQueue,
        workflowBundle: await workflowBundle(),
        activities: createActivities(
          { ...h.ports, mailer: mailerRejecting(h.ports.mailer) },
          activitySettings(h.config),
        ),
      });
      return worker.runUntil(run());
    }

    const runDay = () =>
      withWorker(() =>
        env.client.workflow.execute(dailyReport, {
          args: [{ date: DAY, segments: 2 }],
          taskQueue: h.config.temporal.taskQueue,
          workflowId: dailyReportId(DAY),
        }),
      );

    function copiesPerRecipient(mails: StoredEmail[]): Record<string, number> {
      const copies: Record<string, number> = {};
      for (const to of mails.flatMap((m) => m.destination.to).sort()) copies[to] = (copies[to] ?? 0) + 1;
      return copies;
    }

    async function mailForUs(): Promise<StoredEmail[]> {
      const all = await receivedEmails(h.config.ses.endpoint!);
      return all.filter((mail) => mail.destination.to.some((to) => to.endsWith(`@${domain}`)));
    }

    beforeAll(async () => {
      [env, h] = await Promise.all([
        createLocalWorkflowEnvironment(),
        createPipelineHarness(`delivery_${kind.replace('-', '_')}`, {}, { warehouseKind: kind }),
      ]);
      const items = dayFixture(DAY, 60).items;
      items[0]!.user_search = { L: [{ S: '<script>alert(1)</script>' }, { S: 'python' }] };
      await h.putItems(items);
      await h.ports.rds.query(
        `INSERT INTO staff (name, email, department, active) VALUES
       ('Ann', $1, 'data', true), ('Bob', $2, 'data', true), ('Cho', $3, 'ops', true),
       ('Gone', $4, 'ops', false), ('Rejected', $5, 'ops', true), ('Broken', $6, 'ops', true)`,
        [...active, `gone@${domain}`, rejected, `broken\r\nBcc: evil@${domain}`],
      );
    });

    afterAll(async () => {
      await h?.close();
      await env?.teardown();
    });

    it('sends the rendered report with inline charts to active staff, once', async () => {
      const result = await runDay();
      expect(result.delivery).toMatchObject({
        kind: 'report',
        recipients: 5,
        sent: 3,
        rejected: 2,
        unknown: 0,
      });

      const mails = await mailForUs();
      // The rejected address made SES refuse the shared message, so it went one by one: each got one copy.
      expect(copiesPerRecipient(mails)).toEqual(Object.fromEntries(active.map((a) => [a, 1])));
      const mail = mails[0]!;
      expect(mail.subject).toBe(`일일 앱 사용 결과 (${DAY})`);
      expect(mails.flatMap((m) => m.destination.to).join(' ')).not.toContain('evil');
      // Every chart is an inline PNG part referenced by Content-ID: the stand-in's parser resolves each cid:
      // reference to its part, so none is left dangling and each part shows up in the HTML as an image.
      const images = mail.attachments.filter((a) => a.contentType === 'image/png') as unknown as {
        cid: string;
        related: boolean;
      }[];
      expect(images.length).toBeGreaterThanOrEqual(4);
      expect(images.every((image) => image.cid && image.related)).toBe(true);
      expect(mail.body.html).not.toContain('cid:');
      expect(mail.body.html!.match(/src="data:image\/png;base64,/g)).toHaveLength(images.length);
      // The keyword is shown as text, never as markup.
      expect(mail.body.html).toContain('&lt;script&gt;');
      expect(mail.body.html).not.toContain('<script>');
      expect(mail.body.text).toContain(DAY);
      // The archive is what staff received: one render, the same charts (here resolved from their parts by the
      // stand-in) and the same words; only the embedded font and how images travel differ.
      const archived = await readFile(path.join(h.reportDir, `${DAY}.html`), 'utf8');
      expect(imageSources(archived)).toEqual(imageSources(mail.body.html!));
      expect(visibleText(archived)).toBe(visibleText(mail.body.html!));

      const ledger = await h.ports.warehouse.query<{ recipient: string; status: string }>(
        `SELECT recipient, status FROM dw.delivery_ledger WHERE report_date = $1 ORDER BY recipient`,
        [DAY],
      );
      expect(ledger.filter((r) => r.status === 'sent').map((r) => r.recipient)).toEqual(active);
      expect(
        ledger
          .filter((r) => r.status === 'rejected')
          .map((r) => r.recipient)
          .sort(),
      ).toEqual([rejected, `broken\r\nBcc: evil@${domain}`].sort());
    });

    it('sends nothing when the day runs again', async () => {
      const calls = sentMailer.calls;
      const result = await runDay();
      expect(result.load.outcome).toBe('loaded');
      expect(result.delivery).toMatchObject({ sent: 0, alreadySent: 3, rejected: 2 });
      expect(sentMailer.calls).toBe(calls);
      expect(copiesPerRecipient(await mailForUs())).toEqual(Object.fromEntries(active.map((a) => [a, 1])));
    });

    it('sends once more on an explicit resend, recorded apart', async () => {
      const workflowId = resendReportId(DAY, 'test1');
      const renditionFile = path.join(h.reportDir, emailRenditionKey(DAY));
      const rendition = JSON.parse(await readFile(renditionFile, 'utf8')) as { subject: string };
      const markedSubject = `${rendition.subject} [as stored]`;
      await writeFile(renditionFile, JSON.stringify({ ...rendition, subject: markedSubject }));
      const result = await withWorker(() =>
        env.client.workflow.execute(resendReport, {
          args: [{ date: DAY }],
          taskQueue: h.config.temporal.taskQueue,
          workflowId,
        }),
      );
      expect(result).toMatchObject({ sent: 3, deliveryKey: `resend:${workflowId}` });
      const mails = await mailForUs();
      expect(copiesPerRecipient(mails)).toEqual(Object.fromEntries(active.map((a) => [a, 2])));
      // Sent as stored: the resend mailed the rendition renderReport stored (marked here), not a new render.
      expect(mails.filter((mail) => mail.subject === markedSubject)).toHaveLength(3);
      // Re-running the same resend request (a retry or replay) sends nothing more.
      const again = await withWorker(() =>
        env.client.workflow.execute(resendReport, {
          args: [{ date: DAY }],
          taskQueue: h.config.temporal.taskQueue,
          workflowId,
        }),
      );
      expect(again).toMatchObject({ sent: 0, alreadySent: 3 });
      expect(copiesPerRecipient(await mailForUs())).toEqual(Object.fromEntries(active.map((a) => [a, 2])));
    });

    it('counts each current recipient once, whoever has left since', async () => {
      // Bob leaves after the day was sent: his ledger row is history, not part of the next run's delivery.
      await h.ports.rds.query(`UPDATE staff SET active = false WHERE email = $1`, [active[1]]);
      const result = await runDay();
      expect(result.delivery).toMatchObject({
        recipients: 4,
        sent: 0,
        alreadySent: 2,
        rejected: 2,
        unknown: 0,
      });
      const d = result.delivery!;
      expect(d.sent + d.alreadySent + d.rejected + d.unknown).toBe(d.recipients);
    });
  },
);
