import { toSingleLine } from './escape';
import type { ShownHeadline } from './headline';
import { messagesFor } from './i18n';
import type { ReportSection } from './sections';
import type { ReportLocale } from './types';

/** What the plain-text part shows: the same numbers as the HTML, the top 10 of each section. */
export interface TextView {
  readonly locale: ReportLocale;
  readonly title: string;
  readonly headline: readonly ShownHeadline[];
  readonly sections: readonly ReportSection[];
  readonly footnote?: { readonly title: string; readonly text: string };
}

/** The plain-text alternative of the report, for clients that do not show HTML. */
export function reportText(view: TextView): string {
  const m = messagesFor(view.locale);
  const lines: string[] = [view.title, '='.repeat(Math.min(40, view.title.length * 2)), ''];
  for (const card of view.headline) {
    const changes = card.changes.map((c) => `${c.label} ${c.text}`).join(', ');
    lines.push(`${card.label}: ${card.value} (${changes})`);
  }
  for (const section of view.sections) {
    const ranked = section.key !== 'hourly' && section.key !== 'moved' && section.textRows.length > 0;
    lines.push('', ranked ? `${section.title} (${m.topN(section.textRows.length)})` : section.title);
    if (section.caption !== undefined) lines.push(`  ${section.caption}`);
    if (section.textRows.length === 0) {
      lines.push(`  ${m.noData}`);
      continue;
    }
    if (section.key === 'hourly') lines.push(...hourlyLines(section));
    else if (section.key === 'moved') lines.push(...movedLines(section));
    else for (const row of section.textRows) lines.push(`  ${formatRow(row)}`);
  }
  if (view.footnote !== undefined)
    lines.push('', view.footnote.title, `  ${toSingleLine(view.footnote.text)}`);
  return lines.join('\n') + '\n';
}

/** Six hours to a line, so a day fits in four lines. */
function hourlyLines(section: ReportSection): string[] {
  const lines: string[] = [];
  for (let i = 0; i < section.textRows.length; i += 6) {
    lines.push(
      '  ' +
        section.textRows
          .slice(i, i + 6)
          .map(([hour, count]) => `${hour} ${count}`)
          .join(' · '),
    );
  }
  return lines;
}

/** "What moved": one line per kind and basis, the risers then the fallers. */
function movedLines(section: ReportSection): string[] {
  return section.textRows.map(
    ([what, rose, fell]) => `  ${what}: ▲ ${toSingleLine(rose ?? '')} / ▼ ${toSingleLine(fell ?? '')}`,
  );
}

function formatRow(row: readonly string[]): string {
  const cells = row.map(toSingleLine);
  const [rank, label, ...rest] = cells;
  const count = rest[rest.length - 1];
  const extra = rest
    .slice(0, -1)
    .map((c) => ` [${c}]`)
    .join('');
  return `${rank}. ${label}${extra} — ${count}`;
}
