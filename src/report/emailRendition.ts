import type { RenderedReport } from './types';

/**
 * The emailed report as rendered once by `renderReport` and stored beside the archive, so `sendReport` sends
 * exactly what was archived instead of rendering the day a second time (which could differ if the mart changed
 * in between). JSON with the chart PNGs as base64: small (a few hundred KB) and readable by any tool.
 */
export type EmailRendition = Omit<RenderedReport, 'archiveHtml'>;

/** Where a day's email rendition is stored in the report store. */
export function emailRenditionKey(date: string): string {
  return `${date}.email.json`;
}

interface StoredRendition {
  readonly version: 1;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  readonly images: readonly { readonly cid: string; readonly filename: string; readonly pngBase64: string }[];
}

export function serializeRendition(report: EmailRendition): string {
  const stored: StoredRendition = {
    version: 1,
    subject: report.subject,
    html: report.html,
    text: report.text,
    images: report.images.map((image) => ({
      cid: image.cid,
      filename: image.filename,
      pngBase64: image.png.toString('base64'),
    })),
  };
  return JSON.stringify(stored);
}

/** The stored rendition, or undefined when the bytes are not one this version wrote (render again then). */
export function parseRendition(bytes: Buffer): EmailRendition | undefined {
  let stored: Partial<StoredRendition>;
  try {
    stored = JSON.parse(bytes.toString('utf8')) as Partial<StoredRendition>;
  } catch {
    return undefined;
  }
  if (stored.version !== 1 || typeof stored.html !== 'string' || typeof stored.subject !== 'string') {
    return undefined;
  }
  return {
    subject: stored.subject,
    html: stored.html,
    text: stored.text ?? '',
    images: (stored.images ?? []).map((image) => ({
      cid: image.cid,
      filename: image.filename,
      png: Buffer.from(image.pngBase64, 'base64'),
    })),
  };
}
