const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes text for HTML element content and quoted attribute values. Also what keeps user text from
 * being read as MJML markup: after escaping, a keyword such as `</mj-text>` contains no `<`.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/**
 * Makes user text safe for one line of the plain-text part: control characters (CR, LF, tabs,
 * escapes) become spaces so a keyword cannot start a fake line or move the terminal cursor.
 */
export function toSingleLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ');
}
