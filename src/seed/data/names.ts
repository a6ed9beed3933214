/** Name parts for authors, translators and staff, with romanisations for e-mail addresses. */
export interface NamePart {
  readonly ko: string;
  readonly en: string;
}

export const SURNAMES: readonly NamePart[] = Object.freeze([
  { ko: '김', en: 'kim' },
  { ko: '이', en: 'lee' },
  { ko: '박', en: 'park' },
  { ko: '최', en: 'choi' },
  { ko: '정', en: 'jung' },
  { ko: '강', en: 'kang' },
  { ko: '조', en: 'cho' },
  { ko: '윤', en: 'yoon' },
  { ko: '장', en: 'jang' },
  { ko: '임', en: 'lim' },
  { ko: '한', en: 'han' },
  { ko: '오', en: 'oh' },
  { ko: '서', en: 'seo' },
  { ko: '신', en: 'shin' },
  { ko: '권', en: 'kwon' },
  { ko: '황', en: 'hwang' },
  { ko: '안', en: 'ahn' },
  { ko: '송', en: 'song' },
  { ko: '전', en: 'jeon' },
  { ko: '홍', en: 'hong' },
]);

export const GIVEN_NAMES: readonly NamePart[] = Object.freeze([
  { ko: '민준', en: 'minjun' },
  { ko: '서연', en: 'seoyeon' },
  { ko: '도윤', en: 'doyun' },
  { ko: '지우', en: 'jiwoo' },
  { ko: '하준', en: 'hajun' },
  { ko: '서윤', en: 'seoyun' },
  { ko: '예준', en: 'yejun' },
  { ko: '하은', en: 'haeun' },
  { ko: '지호', en: 'jiho' },
  { ko: '수아', en: 'sua' },
  { ko: '현우', en: 'hyunwoo' },
  { ko: '지민', en: 'jimin' },
  { ko: '준서', en: 'junseo' },
  { ko: '채원', en: 'chaewon' },
  { ko: '건우', en: 'geonwoo' },
  { ko: '유진', en: 'yujin' },
  { ko: '우진', en: 'woojin' },
  { ko: '다은', en: 'daeun' },
  { ko: '선우', en: 'sunwoo' },
  { ko: '소율', en: 'soyul' },
  { ko: '은영', en: 'eunyoung' },
  { ko: '정훈', en: 'junghoon' },
  { ko: '미경', en: 'mikyung' },
  { ko: '성호', en: 'sungho' },
  { ko: '혜진', en: 'hyejin' },
  { ko: '동현', en: 'donghyun' },
  { ko: '수빈', en: 'subin' },
  { ko: '재원', en: 'jaewon' },
]);

/** The kinds of writer a topic's translated books come from. */
export type AuthorKind = 'tech' | 'fiction' | 'nonfiction' | 'children';

/** Authors of translated books, in the Korean transliteration a catalogue record carries. */
export const FOREIGN_AUTHORS: Readonly<Record<AuthorKind, readonly string[]>> = Object.freeze({
  tech: [
    '마크 루츠',
    '루시아노 하말류',
    '웨스 매키니',
    '오렐리앙 제롱',
    '카일 심슨',
    '더글라스 크록포드',
    '로버트 C. 마틴',
    '마틴 파울러',
    '조슈아 블로크',
    '프랑수아 숄레',
  ],
  fiction: [
    '무라카미 하루키',
    '히가시노 게이고',
    '베르나르 베르베르',
    '요나스 요나손',
    '애거사 크리스티',
    '미야베 미유키',
    '알베르 카뮈',
  ],
  nonfiction: [
    '유발 하라리',
    '재레드 다이아몬드',
    '칼 세이건',
    '리처드 도킨스',
    '모건 하우절',
    '애덤 그랜트',
    '제임스 클리어',
    '알랭 드 보통',
    '스티븐 호킹',
    '하워드 막스',
    '피터 린치',
  ],
  children: ['앤서니 브라운', '에릭 칼', '조앤 K. 롤링', '앙투안 드 생텍쥐페리', '로알드 달'],
});

export const DEPARTMENTS: readonly string[] = Object.freeze([
  '데이터팀',
  '플랫폼개발팀',
  '서비스기획팀',
  '마케팅팀',
  '고객지원팀',
  '경영지원팀',
  '디자인팀',
]);

/** Authors of books catalogued under their English original. */
export const ENGLISH_AUTHORS: Readonly<Record<AuthorKind, readonly string[]>> = Object.freeze({
  tech: [
    'Mark Lutz',
    'Luciano Ramalho',
    'Wes McKinney',
    'Aurélien Géron',
    'Kyle Simpson',
    'Joshua Bloch',
    'Martin Fowler',
    'François Chollet',
  ],
  fiction: ['Agatha Christie', 'Stephen King', 'Ursula K. Le Guin'],
  nonfiction: ['Morgan Housel', 'James Clear', 'Carl Sagan', 'Yuval Noah Harari', 'Adam Grant'],
  children: ['Eric Carle', 'Roald Dahl', 'Anthony Browne'],
});
