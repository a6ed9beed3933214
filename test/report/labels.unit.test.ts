import { MAX_LABEL_CHARS, truncateLabel } from '../../src/report/labels';
import { reportSections } from '../../src/report/sections';
import { sampleReport } from './fixtures';

describe('truncateLabel', () => {
  it('keeps labels of up to 20 characters as they are', () => {
    expect(truncateLabel('가'.repeat(20))).toBe('가'.repeat(20));
    expect(truncateLabel('short')).toBe('short');
  });

  it('cuts longer labels to 20 characters ending in an ellipsis', () => {
    const cut = truncateLabel('대한민국도서관장서검색서비스이용통계보고서입니다');
    expect(Array.from(cut)).toHaveLength(MAX_LABEL_CHARS);
    expect(cut).toBe('대한민국도서관장서검색서비스이용통계보…');
    expect(truncateLabel('대한민국 도서관 장서 검색 서비스 이용 통계 보고서')).toBe(
      '대한민국 도서관 장서 검색 서비스…',
    );
    expect(truncateLabel('abcdefghijklmnopqrstu')).toBe('abcdefghijklmnopqrs…');
  });

  it('never splits an emoji or a combining sequence', () => {
    const family = '👨‍👩‍👧';
    const cut = truncateLabel(family.repeat(25));
    expect(cut).toBe(family.repeat(19) + '…');
  });
});

describe('section labels', () => {
  it('cuts chart labels but keeps the full text in the table, and charts only the top 10', () => {
    const long = 'x'.repeat(300);
    const data = sampleReport({
      keywords: [{ label: long, count: 999 }, ...sampleReport().keywords],
    });
    const keywords = reportSections(data).find((s) => s.key === 'keywords');
    expect(keywords?.chart?.labels[0]).toBe('x'.repeat(19) + '…');
    expect(keywords?.chart?.labels).toHaveLength(10);
    expect(keywords?.rows).toHaveLength(13);
    expect(keywords?.rows[0]?.[1]).toBe(long);
  });

  it('labels a book missing from the catalogue by its ISBN in the chart', () => {
    const books = reportSections(sampleReport()).find((s) => s.key === 'books');
    expect(books?.chart?.labels).toEqual(['혼자 공부하는 파이썬', '9788966262472', 'Clean Code']);
    expect(books?.rows[1]).toEqual(['2', '(제목 없음)', '9788966262472', '41']);
  });
});
