import { showHeadline } from '../../src/report/headline';
import { messagesFor, numberFormats, reportSubject } from '../../src/report/i18n';
import { renderReport } from '../../src/report/renderReport';
import { sampleReport } from './fixtures';

describe('number formats', () => {
  it.each(['ko', 'en'] as const)('groups thousands and fixes decimals (%s)', (locale) => {
    const f = numberFormats(locale);
    expect(f.count(1234567)).toBe('1,234,567');
    expect(f.count(0)).toBe('0');
    expect(f.percent(12.345)).toBe('12.3%');
    expect(f.percent(0)).toBe('0.0%');
    expect(f.decimal(1.2)).toBe('1.20');
  });

  it('shows a missing value as a dash, never as zero', () => {
    const f = numberFormats('ko');
    expect(f.count(null)).toBe('–');
    expect(f.percent(undefined)).toBe('–');
    expect(f.decimal(Number.NaN)).toBe('–');
  });

  it('formats relative changes with an arrow and a real minus sign', () => {
    const f = numberFormats('ko');
    expect(f.relativeChange(1032, 1000)).toBe('▲ +3.2%');
    expect(f.relativeChange(990, 1000)).toBe('▼ −1.0%');
    expect(f.relativeChange(1000, 1000)).toBe('±0.0%');
    expect(f.relativeChange(1000, null)).toBe('–');
    expect(f.relativeChange(1000, undefined)).toBe('–');
    expect(f.relativeChange(null, 1000)).toBe('–');
    expect(f.relativeChange(5, 0)).toBe('–');
  });

  it('tells a change of a percentage in percentage points', () => {
    expect(numberFormats('ko').pointChange(12.3, 13.8)).toBe('▼ −1.5%p');
    expect(numberFormats('en').pointChange(12.3, 10.1)).toBe('▲ +2.2 pp');
  });
});

describe('locales', () => {
  it('is Korean by default in the seed wording and switches to English', () => {
    expect(reportSubject('ko', '2024-05-01')).toBe('일일 앱 사용 결과 (2024-05-01)');
    expect(reportSubject('en', '2024-05-01')).toBe('Daily app usage (2024-05-01)');
    expect(messagesFor('ko').headline.failureRate).toBe('도서 검색 실패율');
    expect(messagesFor('en').headline.failureRate).toBe('Book search failure rate');
  });

  it('formats the headline numbers with their units and both comparisons', () => {
    const [requests, failure, choices, share] = showHeadline(sampleReport());
    expect(requests).toMatchObject({ label: '사용자 요청 건수', value: '1,234건' });
    expect(requests?.changes.map((c) => c.text)).toEqual(['▲ +3.2%', '–']);
    expect(failure?.value).toBe('12.3%');
    // A falling failure rate is good news; a rising one is bad.
    expect(failure?.changes.map((c) => [c.text, c.tone])).toEqual([
      ['▼ −1.5%p', 'good'],
      ['▲ +2.2%p', 'bad'],
    ]);
    expect(choices).toMatchObject({ label: '평균 도서 선택 권수', value: '1.25권' });
    expect(choices?.changes.map((c) => c.text)).toEqual(['±0.0%', '▼ −16.7%']);
    expect(share).toMatchObject({ label: '도서 선택이 있었던 검색 비율', value: '41.5%' });
    expect(share?.changes.map((c) => [c.text, c.tone])).toEqual([
      ['▲ +1.5%p', 'good'],
      ['–', 'neutral'],
    ]);
    const en = showHeadline(sampleReport({ locale: 'en' }));
    expect(en.map((c) => [c.label, c.value])).toEqual([
      ['User requests', '1,234'],
      ['Book search failure rate', '12.3%'],
      ['Average books chosen', '1.25 books'],
      ['Searches that led to a choice', '41.5%'],
    ]);
  });

  it('renders the whole report in English when the locale says so', async () => {
    const report = await renderReport(sampleReport({ locale: 'en' }), { imageMode: 'cid' });
    expect(report.subject).toBe('Daily app usage (2024-05-01)');
    expect(report.html).toContain('Daily app usage (2024-05-01)');
    expect(report.html).toContain('Library search ranking');
    expect(report.html).toContain('Keywords of successful searches, by how often they were typed');
    expect(report.html).toContain('vs same weekday last week');
    expect(report.html).not.toContain('일일 앱 사용 결과');
    expect(report.html).toContain('lang="en"');
    expect(report.text).toContain(
      'User requests: 1,234 (vs previous day ▲ +3.2%, vs same weekday last week –)',
    );
  });

  it('renders the Korean report with the seed title and headline labels', async () => {
    const report = await renderReport(sampleReport(), { imageMode: 'cid' });
    expect(report.subject).toBe('일일 앱 사용 결과 (2024-05-01)');
    expect(report.html).toContain('일일 앱 사용 결과 (2024-05-01)');
    for (const label of [
      '사용자 요청 건수',
      '도서 검색 실패율',
      '평균 도서 선택 권수',
      '유저 검색 키워드',
      '도서 검색 순위',
      '도서관 검색 순위',
      '검색 실패 키워드',
      '검색에 성공한 요청의 키워드, 나온 횟수 순',
      '전일 대비',
      '전주 같은 요일 대비',
    ]) {
      expect(report.html).toContain(label);
    }
    expect(report.text).toContain(
      '도서 검색 실패율: 12.3% (전일 대비 ▼ −1.5%p, 전주 같은 요일 대비 ▲ +2.2%p)',
    );
  });
});
