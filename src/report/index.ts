/** The report's public surface: render a day, archive it, mail it. */
export { renderReport, chartContentId } from './renderReport';
export { renderNotice, type NoticeInput, type NoticeKind, type RenderedNotice } from './notice';
export {
  buildMimeMessage,
  assertEmailAddress,
  UnsafeHeaderError,
  type MimeMessageInput,
  type NamedAddress,
} from './mime';
export { TemplateError } from './compileMjml';
export { reportSubject } from './i18n';
export { assertReportDate } from './date';
export type * from './types';
