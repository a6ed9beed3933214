import { escapeHtml, toSingleLine } from './escape';
import { messagesFor } from './i18n';
import { assertReportDate } from './date';
import type { ReportLocale } from './types';

/** Why the day's report is not being sent as usual. */
export type NoticeKind = 'delayed' | 'anomaly';

export interface NoticeInput {
  readonly date: string;
  readonly locale: ReportLocale;
  /** Defaults to `delayed`. */
  readonly kind?: NoticeKind;
  /** What happened, in words for staff (may quote data, so it is escaped). */
  readonly reason: string;
}

/** A short email in place of (or ahead of) the report. */
export interface RenderedNotice {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

/** Renders the "data delayed" or "anomaly" notice for a day. Pure; build the email with `buildMimeMessage`. */
export function renderNotice(input: NoticeInput): RenderedNotice {
  assertReportDate(input.date);
  const m = messagesFor(input.locale);
  const kind = input.kind ?? 'delayed';
  const tag = kind === 'delayed' ? m.notice.delayedTag : m.notice.anomalyTag;
  const lead = kind === 'delayed' ? m.notice.delayedLead(input.date) : m.notice.anomalyLead(input.date);
  const subject = `${tag} ${m.title(input.date)}`;
  const e = escapeHtml;
  const html = `<!doctype html>
<html lang="${e(input.locale)}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${e(subject)}</title></head>
<body style="margin:0;padding:0;background:#eef0f3;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#eef0f3;">
<tr><td align="center" style="padding:16px;">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;width:100%;background:#ffffff;font-family:Apple SD Gothic Neo,Malgun Gothic,Noto Sans KR,Helvetica,Arial,sans-serif;color:#222222;">
<tr><td style="padding:20px 24px 8px;font-size:20px;font-weight:bold;">${e(subject)}</td></tr>
<tr><td style="padding:8px 24px;font-size:14px;line-height:1.5;">${e(lead)}</td></tr>
<tr><td style="padding:8px 24px 20px;font-size:14px;line-height:1.5;word-break:break-all;overflow-wrap:anywhere;"><strong>${e(m.notice.reasonLabel)}:</strong> ${e(input.reason)}</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;
  const text = `${subject}\n\n${lead}\n\n${m.notice.reasonLabel}: ${toSingleLine(input.reason)}\n`;
  return { subject, html, text };
}
