/**
 * Live markup in an HTML document that user text could have injected. Each entry names what was found; an
 * empty list means every hostile string stayed text. Regex-level on purpose: it looks for the exact shapes an
 * injection produces, and escaped text (`&lt;script&gt;`) never matches them.
 */
export function liveMarkup(html: string): string[] {
  const found: string[] = [];
  if (/<script\b/i.test(html)) found.push('a <script> element');
  if (/<(iframe|object|embed|form)\b/i.test(html)) found.push('an embedding element');
  if (/\s(href|src|action|formaction|xlink:href|background)\s*=\s*["']?\s*javascript:/i.test(html)) found.push('a javascript: URL in an attribute');
  if (/<[^>]+\son[a-z]+\s*=/i.test(html)) found.push('an inline event handler');
  if (/<\/?mj-[a-z]/i.test(html)) found.push('an MJML tag left uncompiled');
  for (const [, css] of html.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi)) {
    if (/display\s*:\s*none/i.test(css!) && /body\s*\{/i.test(css!)) found.push('an injected <style> hiding the body');
  }
  return found;
}
