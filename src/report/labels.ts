/** Longest chart label, in user-perceived characters (the seed cut labels to 20). */
export const MAX_LABEL_CHARS = 20;

const ELLIPSIS = '…';
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Cuts a label to at most `max` characters, the last being "…" when anything was cut
 * (a space just before the "…" is dropped).
 * Counts graphemes, so a Hangul syllable, an emoji or a letter with an accent is one character and
 * is never split in half.
 */
export function truncateLabel(label: string, max: number = MAX_LABEL_CHARS): string {
  const chars = Array.from(graphemes.segment(label), (s) => s.segment);
  if (chars.length <= max) return label;
  // "서비스 …" reads as a gap; "서비스…" reads as cut.
  return (
    chars
      .slice(0, Math.max(0, max - 1))
      .join('')
      .trimEnd() + ELLIPSIS
  );
}
