import { Context } from '@temporalio/activity';
import { MAX_RECIPIENTS_PER_MESSAGE, MessageRejectedError, type Mailer } from '../adapters/mailer/port';
import type { Rds } from '../adapters/rds/port';
import type { ReportStore } from '../adapters/reportStore/port';
import type { Warehouse } from '../adapters/warehouse/port';
import { DeliveryRefusedError, ServiceUnavailableError } from '../errors';
import { assertEmailAddress, buildMimeMessage } from '../report/mime';
import { emailRenditionKey, parseRendition } from '../report/emailRendition';
import { renderReportInChild } from '../report/renderInChild';
import { renderNotice } from '../report/notice';
import type { ReportLocale } from '../report/types';
import { readReportData } from './mart';
import { emailRenderOptions, renderTimeLimitMs } from './report';
import { whileHeartbeating } from './heartbeat';
import { claimRecipients } from './ledgerClaim';
import { selectActiveStaff } from './sql/staff';
import {
  deleteClaims,
  markAbandonedClaimsUnknown,
  selectDayLoaded,
  selectLedger,
  selectUnknownReportRecipients,
  updateLedgerRows,
} from './sql/delivery';

export type DeliveryKind = 'report' | 'notice' | 'alert';

export interface SendInput {
  readonly date: string;
  readonly kind: DeliveryKind;
  /** 'daily' for the day's one email; 'resend:<run id>' for an explicit resend. */
  readonly deliveryKey: string;
  /** For notices and alerts: why the normal report is not going out. */
  readonly reason?: string;
  readonly noticeKind?: 'delayed' | 'anomaly';
  /** For alerts: where to look. */
  readonly link?: string;
  /** Who gets a report or notice; default every active staff member. Alerts go to the alert address. */
  readonly audience?: Audience;
}

/**
 * A resend's recipients: every active staff member, those whose earlier send of the day's report is
 * `unknown` (and not sent since), or one address.
 */
export type Audience =
  | { readonly kind: 'staff' }
  | { readonly kind: 'unknown' }
  | { readonly kind: 'address'; readonly address: string };

/**
 * What happened to each of this delivery's recipients; counts only. Every recipient is counted once:
 * `sent + alreadySent + rejected + unknown === recipients`.
 */
export interface DeliveryResult {
  readonly date: string;
  readonly kind: DeliveryKind;
  readonly deliveryKey: string;
  /** Active staff now (or the alert address): the people this delivery is for. */
  readonly recipients: number;
  /** Sent by this attempt. */
  readonly sent: number;
  /** Recipients the ledger already shows as sent by an earlier attempt or run (not sent again). */
  readonly alreadySent: number;
  /** Refused: not a usable address, or SES rejected the message for them (now or earlier). */
  readonly rejected: number;
  /** An earlier attempt died mid-call for them: maybe delivered, never retried (see `resend`). */
  readonly unknown: number;
  /** SES calls made by this attempt. */
  readonly messages: number;
}

export interface DeliveryDeps {
  readonly warehouse: Warehouse;
  readonly rds: Pick<Rds, 'query'>;
  readonly mailer: Mailer;
  /** Where `renderReport` stored the day's email; sent as stored. */
  readonly reportStore: ReportStore;
  readonly sender: string;
  readonly locale: ReportLocale;
  readonly alertTo?: string;
  readonly uiUrl?: string;
  readonly quickChartUrl?: string;
}

interface Email {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  readonly images?: Parameters<typeof buildMimeMessage>[0]['images'];
}

export function createDeliveryActivities(deps: DeliveryDeps) {
  const { warehouse, rds, mailer } = deps;

  /**
   * Sends the day's email to every active staff member exactly once. The ledger is claimed before each SES
   * call and settled after it; a retry skips what was sent, and never re-sends to a recipient whose earlier
   * attempt died mid-call (status 'unknown': at most once, and recorded, rather than possibly twice).
   */
  async function sendReport(input: SendInput): Promise<DeliveryResult> {
    const context = Context.current();
    const key = [input.date, input.kind, input.deliveryKey] as const;
    await warehouse.query(markAbandonedClaimsUnknown, [...key, now()]);

    const recipients = await recipientsOf(input);
    const ledger = new Map(
      (await warehouse.query<{ recipient: string; status: string }>(selectLedger, key)).map((r) => [
        r.recipient,
        r.status,
      ]),
    );
    const pending: string[] = [];
    let invalid = 0;
    for (const recipient of recipients) {
      if (ledger.has(recipient)) continue;
      try {
        assertEmailAddress(recipient);
        pending.push(recipient);
      } catch (error) {
        invalid++;
        await claim(
          [recipient],
          'rejected',
          `not a usable address: ${(error as Error).message}`.slice(0, 1000),
        );
      }
    }

    const counts = { sent: 0, rejected: invalid, messages: 0 };
    if (pending.length > 0) {
      // Rendering takes seconds, and may take up to its time limit: heartbeats keep the attempt alive meanwhile.
      const email = await whileHeartbeating(() => compose(input));
      context.heartbeat({ sent: 0, of: pending.length });
      for (let i = 0; i < pending.length; i += MAX_RECIPIENTS_PER_MESSAGE) {
        await sendBatch(pending.slice(i, i + MAX_RECIPIENTS_PER_MESSAGE), email, counts);
        context.heartbeat({ sent: counts.sent, of: pending.length });
      }
    }
    // Ledger rows of people no longer on the staff list are history, not part of this delivery: with them the
    // counts would not add up to `recipients` (209 "already sent" of 208 after someone left).
    const statuses = recipients.flatMap((recipient) => ledger.get(recipient) ?? []);
    return {
      date: input.date,
      kind: input.kind,
      deliveryKey: input.deliveryKey,
      recipients: recipients.length,
      sent: counts.sent,
      alreadySent: statuses.filter((s) => s === 'sent').length,
      rejected: counts.rejected + statuses.filter((s) => s === 'rejected').length,
      unknown: statuses.filter((s) => s === 'unknown' || s === 'sending').length,
      messages: counts.messages,
    };

    async function sendBatch(
      batch: string[],
      email: Email,
      counts: { sent: number; rejected: number; messages: number },
    ) {
      // A stale attempt (timed out while its retry already runs) must not claim or send anything more.
      context.cancellationSignal.throwIfAborted();
      // Built before the claim: a message that cannot be built must not leave recipients marked as sending.
      const raw = buildMimeMessage({
        from: deps.sender,
        // Staff see who else got the company-wide report; addresses were checked before they got here.
        to: batch,
        subject: email.subject,
        text: email.text,
        html: email.html,
        images: email.images,
        date: new Date(),
        messageId: `libreport-${input.date}-${input.kind}-${input.deliveryKey.replace(/[^A-Za-z0-9-]/g, '-')}-${counts.messages}@${deps.sender.split('@')[1]}`,
        headers: { 'X-Libreport-Date': input.date, 'X-Libreport-Kind': input.kind },
      });
      // Another attempt may have claimed some of them since the ledger was read: they are its to send.
      const claimed = await claim(batch, 'sending', null);
      if (claimed.length < batch.length) {
        if (claimed.length > 0) await sendBatch(claimed, email, counts);
        return;
      }
      try {
        const { messageId } = await mailer.sendRaw({ from: deps.sender, destinations: batch, raw });
        counts.messages++;
        await settle(batch, 'sent', messageId, null);
        counts.sent += batch.length;
      } catch (error) {
        if (error instanceof MessageRejectedError) {
          if (batch.length === 1) {
            await settle(batch, 'rejected', null, error.message.slice(0, 1000));
            counts.rejected++;
            return;
          }
          // One bad address rejects the whole message: send one by one so only that address misses out.
          await release(batch);
          for (const recipient of batch) await sendBatch([recipient], email, counts);
          return;
        }
        // Connection refused, throttled or refused as a whole: SES certainly did not take the message, so the
        // claim is released (retried, or left unsent for a fixed sender to go out later).
        if (error instanceof ServiceUnavailableError || error instanceof DeliveryRefusedError)
          await release(batch);
        throw error;
      }
    }

    function claim(batch: string[], status: 'sending' | 'rejected', detail: string | null) {
      return claimRecipients(warehouse, key, batch, { status, detail, at: now() });
    }
    async function settle(batch: string[], status: string, messageId: string | null, detail: string | null) {
      await warehouse.query(updateLedgerRows(batch.length), [
        ...key,
        status,
        messageId,
        detail,
        now(),
        ...batch,
      ]);
    }
    async function release(batch: string[]) {
      await warehouse.query(deleteClaims(batch.length), [...key, ...batch]);
    }
  }

  async function recipientsOf(input: SendInput): Promise<string[]> {
    if (input.kind === 'alert') return deps.alertTo ? [deps.alertTo] : [];
    const audience = input.audience ?? { kind: 'staff' };
    if (audience.kind === 'address') return [audience.address];
    if (audience.kind === 'unknown') {
      const rows = await warehouse.query<{ recipient: string }>(selectUnknownReportRecipients, [input.date]);
      return rows.map((r) => r.recipient);
    }
    return activeStaff();
  }

  async function activeStaff(): Promise<string[]> {
    const rows = await rds.query<{ email: string }>(selectActiveStaff);
    return [...new Set(rows.map((r) => r.email))];
  }

  async function compose(input: SendInput): Promise<Email> {
    if (input.kind === 'report') {
      const stored = await deps.reportStore.get(emailRenditionKey(input.date));
      const rendition = stored && parseRendition(stored);
      if (rendition) return rendition;
      // Not stored where this worker can read it (a local report folder on another host, or a day rendered by
      // an older version): render it now from the same mart rows.
      Context.current().log.warn('no stored email rendition of the day; rendering it again', {
        date: input.date,
      });
      const data = await readReportData(warehouse, { date: input.date, locale: deps.locale });
      return renderReportInChild(data, emailRenderOptions(deps.quickChartUrl), renderTimeLimitMs());
    }
    if (input.kind === 'notice') {
      return renderNotice({
        date: input.date,
        locale: deps.locale,
        kind: input.noticeKind ?? 'delayed',
        reason: input.reason ?? '',
      });
    }
    const link = input.link ? `${deps.uiUrl ?? ''}${input.link}` : '';
    const notice = renderNotice({
      date: input.date,
      locale: 'en',
      kind: 'delayed',
      reason: `${input.reason ?? 'unknown'} ${link}`.trim(),
    });
    const subject = `[libreport] daily report for ${input.date} failed`;
    const text = `The daily report for ${input.date} failed.\n\nReason: ${input.reason ?? 'unknown'}\n${link ? `\nWorkflow: ${link}\n` : ''}`;
    return { subject, text, html: notice.html };
  }

  /** Whether the day has been loaded successfully at least once (a resend needs something to send). */
  async function dayIsLoaded(input: { date: string }): Promise<boolean> {
    const rows = await warehouse.query(selectDayLoaded, [input.date]);
    return rows.length > 0;
  }

  return { sendReport, dayIsLoaded };
}

function now(): string {
  return new Date().toISOString();
}
