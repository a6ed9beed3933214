import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { RawItem } from '../../src/adapters/dynamo/port';
import { ExplodedBatch } from '../../src/activities/explode';
import { BAD_ITEM_KINDS, generateCatalogue, generateSearchItems, type BadItemKind } from '../../src/seed';
import { dailyReport, dailyReportId, type DailyReportInput } from '../../src/workflows/dailyReport';
import { createPipelineHarness, type PipelineHarness } from '../support/pipeline';
import { ISBNS } from '../support/searchItems';
import { createLocalWorkflowEnvironment } from '../support/stack';
import { elementDifferences, expectedDay, observedDay } from './support/itemOracle';
import { addStaff, copiesPerRecipient, mailFor, oneCopyEach, privateMailDomain } from './support/mailProbe';
import { liveMarkup } from './support/markupProbe';
import { createTestWorker } from './support/testWorker';

const DATA_DAY = '2024-05-20';
const REPORT_DAY = '2024-05-21';

/** The quarantine reasons each seeded defect must produce (none: the item loads whole, see docs/architecture.md). */
const REASONS_BY_KIND: Record<BadItemKind, readonly string[][]> = {
  missing_query_date: [['missing_query_date']],
  query_date_not_string: [['invalid_query_date']],
  missing_user_search: [['missing_attribute']],
  user_search_not_list: [['invalid_attribute_type']],
  empty_user_search: [[]],
  missing_selected_lib: [['missing_attribute']],
  empty_selected_lib: [[]],
  number_in_list: [['element_not_string']],
  non_isbn_strings: [['invalid_isbn13'], ['empty_value']],
  duplicate_entries: [['duplicate_element']],
  too_many_keywords: [[]],
  isbn_list_as_string_set: [[]],
  keyword_control_characters: [['nul_character']],
  searched_at_malformed: [['invalid_searched_at']],
};

const S = (text: string) => ({ S: text });
const list = (texts: readonly string[]) => ({ L: texts.map(S) });

/** Hand-made items at the edges: size, length, characters, types. */
function edgeItems(day: string): RawItem[] {
  const base = (id: string): RawItem => ({
    query_id: S(id),
    query_date: S(day),
    user_search: list(['python']),
    selected_lib: list(['노원']),
    isbn13_list: list([ISBNS[0]!]),
    searched_at: S(`${day}T10:00:00+09:00`),
  });
  return [
    // ~390 KB, just under DynamoDB's 400 KB item limit: 390 keywords of 1,000 bytes each (the column's limit).
    { ...base('edge-near-400kb'), user_search: list(Array.from({ length: 390 }, (_, i) => `${String(i).padStart(4, '0')}${'가'.repeat(332)}`)) },
    { ...base('edge-10000-keywords'), user_search: list(Array.from({ length: 10_000 }, (_, i) => `kw-${i}`)) },
    { ...base('edge-control-chars'), user_search: list(['a\u0001b', 'c\u001fd', 'e\u007ff', '\u0001', 'tab\tand\r\nnewline']) },
    { ...base('edge-lone-surrogate'), user_search: list(['fine', 'high\uD800', '\uDC00low', '😀 whole pair']) },
    {
      ...base('edge-numbers'),
      user_search: { L: [{ N: '42' }, S('forty-two'), { BOOL: true }, { NULL: true }] },
      selected_lib: { L: [{ N: '7' }, S('마포')] },
      isbn13_list: { L: [{ N: ISBNS[1]! }, S(ISBNS[2]!)] },
    },
    { ...base('edge-date-as-number'), query_date: { N: day.replace(/-/g, '') } },
    { ...base('edge-too-long'), user_search: list(['x'.repeat(1001), 'ok']), selected_lib: list(['도'.repeat(67), '노원']) },
    { ...base('edge-offsetless-time'), searched_at: S(`${day}T21:00`) },
  ];
}

describe('hostile input', () => {
  let env: TestWorkflowEnvironment;
  let h: PipelineHarness;
  const run = async (input: DailyReportInput) => {
    const worker = await createTestWorker(env, h);
    return worker.runUntil(
      env.client.workflow.execute(dailyReport, {
        args: [input],
        taskQueue: h.config.temporal.taskQueue,
        workflowId: dailyReportId(input.date),
      }),
    );
  };

  beforeAll(async () => {
    [env, h] = await Promise.all([createLocalWorkflowEnvironment(), createPipelineHarness('faults_hostile')]);
  });

  afterAll(async () => {
    await h?.close();
    await env?.teardown();
  });

  describe('data', () => {
    const generated = [
      ...generateSearchItems({
        seed: 'hostile-input',
        items: 300,
        startDate: DATA_DAY,
        days: 1,
        timeZone: 'Asia/Seoul',
        badItemRate: 0.6,
        legacyShare: 0.1,
        catalogue: generateCatalogue('hostile-input', 200),
      }),
    ];
    const edges = edgeItems(DATA_DAY);
    const items = [...generated.map((g) => g.item), ...edges];
    const ids = items.map((i) => (i.query_id as { S: string }).S);

    it('carries every item and element into the warehouse exactly, or into quarantine with its reason', async () => {
      // Every defect the seed generator knows is in the day.
      expect(new Set(generated.map((g) => g.badKind).filter(Boolean))).toEqual(new Set(Object.keys(BAD_ITEM_KINDS)));
      await h.putItems(items);

      const result = await run({ date: DATA_DAY, segments: 2, email: 'skip' });

      expect(result.load.outcome).toBe('loaded');
      expect(result.load.mismatches).toEqual([]);
      const expected = expectedDay(items, DATA_DAY);
      const unordered = new Set(items.filter((i) => i.isbn13_list && 'SS' in i.isbn13_list).map((i) => (i.query_id as { S: string }).S));
      const observed = await observedDay(h.ports.warehouse, DATA_DAY, ids, unordered);
      expect(observed.queries.sort()).toEqual(expected.queries.sort());
      expect(elementDifferences(expected.elements, observed.elements)).toEqual([]);
      expect(observed.quarantine.sort()).toEqual(expected.quarantine.sort());
      // Reconciliation: what the scan saw is what landed plus what was quarantined.
      expect(result.load.source.items).toBe(items.length);
      expect(result.load.tables.search_query + result.load.quarantined.items).toBe(items.length);

      // Each seeded defect ended as its kind says.
      const reasonsOf = (id: string) =>
        [...new Set(observed.quarantine.filter((q) => q.split('|')[1] === id).map((q) => q.split('|')[2]!))].sort();
      const wrong = generated
        .filter((g) => g.badKind)
        .filter((g) => !REASONS_BY_KIND[g.badKind!].some((allowed) => JSON.stringify(allowed) === JSON.stringify(reasonsOf(g.queryId))))
        .map((g) => `${g.badKind}: ${reasonsOf(g.queryId).join(',') || 'loaded whole'}`);
      expect(wrong).toEqual([]);

      // The edges, spelled out.
      const q = (id: string) => observed.quarantine.filter((row) => row.split('|')[1] === id).sort();
      expect(q('edge-near-400kb')).toEqual([]);
      expect([...observed.elements.keys()].filter((k) => k.startsWith('search_keyword|edge-10000-keywords|'))).toHaveLength(10_000);
      expect(q('edge-control-chars')).toEqual([]);
      expect(q('edge-lone-surrogate')).toEqual([
        'dynamodb.user_search|edge-lone-surrogate|invalid_unicode|user_search[1]',
        'dynamodb.user_search|edge-lone-surrogate|invalid_unicode|user_search[2]',
      ]);
      expect(q('edge-numbers')).toEqual([
        'dynamodb.isbn13_list|edge-numbers|element_not_string|isbn13_list[0]',
        'dynamodb.selected_lib|edge-numbers|element_not_string|selected_lib[0]',
        'dynamodb.user_search|edge-numbers|element_not_string|user_search[0]',
        'dynamodb.user_search|edge-numbers|element_not_string|user_search[2]',
        'dynamodb.user_search|edge-numbers|element_not_string|user_search[3]',
      ]);
      expect(q('edge-date-as-number')).toEqual(['dynamodb.item|edge-date-as-number|invalid_query_date']);
      expect(q('edge-too-long')).toEqual([
        'dynamodb.selected_lib|edge-too-long|value_too_long|selected_lib[0]',
        'dynamodb.user_search|edge-too-long|value_too_long|user_search[0]',
      ]);
      expect(q('edge-offsetless-time')).toEqual([
        'dynamodb.searched_at|edge-offsetless-time|invalid_searched_at|searched_at is not an ISO-8601 instant; loaded as NULL',
      ]);
    });

    it('keeps a lone surrogate out of the warehouse on the explode path too', () => {
      const batch = new ExplodedBatch();
      batch.add(edges.find((i) => (i.query_id as { S: string }).S === 'edge-lone-surrogate')!, DATA_DAY);
      expect(batch.keywords.map((row) => row[2])).toEqual(['fine', '😀 whole pair']);
      expect(batch.quarantine.map((row) => row[3])).toEqual(['invalid_unicode', 'invalid_unicode']);
      // The payload is JSON, which escapes the surrogate, so the quarantine row itself always stores.
      expect(batch.quarantine.map((row) => String(row[5]))).toEqual(['{"S":"high\\ud800"}', '{"S":"\\udc00low"}']);
    });
  });

  describe('report', () => {
    const HOSTILE = [
      '<script>alert("kw")</script>',
      '<img src=x onerror=alert(1)>',
      '<a href="javascript:alert(2)">click</a>',
      'javascript:alert(3)',
      '<mj-text>injected mjml</mj-text>',
      '</mj-column></mj-section><mj-raw><script>alert(4)</script></mj-raw>',
      '</style><style>body{display:none}</style>',
      'W'.repeat(300),
    ];
    const TITLES = [
      '<script>alert("title")</script>',
      '<mj-button href="javascript:alert(5)">open</mj-button>',
      '</style><style>body{display:none}</style>',
      '"><iframe src="javascript:alert(6)">',
      'T'.repeat(300),
    ];
    const mail = privateMailDomain('hostile');
    const staff = [mail.address('ann'), mail.address('bob')];

    it('renders hostile keywords and titles as text in the archive and in the email', async () => {
      const items: RawItem[] = Array.from({ length: 30 }, (_, i) => ({
        query_id: S(`report-q${i}`),
        query_date: S(REPORT_DAY),
        user_search: list(i % 3 === 0 ? [HOSTILE[i % HOSTILE.length]!] : HOSTILE),
        selected_lib: list(['노원', '<b>마포</b>']),
        isbn13_list: list(i % 4 === 0 ? [] : ISBNS.slice(0, TITLES.length)),
        searched_at: S(`${REPORT_DAY}T09:00:00+09:00`),
      }));
      await h.putItems(items);
      for (const [i, title] of TITLES.entries()) {
        await h.ports.rds.query(
          `INSERT INTO book_info (isbn13, bookname, authors, publisher, book_image_url) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (isbn13) DO UPDATE SET bookname = EXCLUDED.bookname, updated_at = now()`,
          [ISBNS[i]!, title, '<b>author</b>', '</style>', 'javascript:alert(7)'],
        );
      }
      await addStaff(h.ports.rds, staff);

      const result = await run({ date: REPORT_DAY, segments: 1 });
      expect(result.load.outcome).toBe('loaded');
      expect(result.quality.ok).toBe(true);
      expect(result.delivery).toMatchObject({ sent: staff.length, unknown: 0 });

      const archive = readFileSync(path.join(h.reportDir, `${REPORT_DAY}.html`), 'utf8');
      const mails = await mailFor(h.config.ses.endpoint!, mail.domain, REPORT_DAY);
      expect(copiesPerRecipient(mails)).toEqual(oneCopyEach(staff));
      for (const [where, html] of [['archive', archive], ['email', mails[0]!.body.html!]] as const) {
        expect({ where, live: liveMarkup(html) }).toEqual({ where, live: [] });
        // The text is there, shown as text.
        expect(html).toContain('&lt;script&gt;');
        expect(html).toContain('&lt;mj-');
        expect(html).toContain('WWWWWWWWWWWWWWWWWW');
      }
      // The plain-text part is not markup: there the text stays verbatim, each entry on its one line.
      expect(mails[0]!.body.text).toMatch(/^ +\d+\. <script>alert\("kw"\)<\/script> — \d+$/m);
    });
  });
});
