import type { AuthorKind } from './names';

/**
 * Subject areas of the generated catalogue. A book belongs to one topic and one subject within it and
 * carries both as tags (`python`, `python/flask`); keywords match books through these tags, which is
 * what makes a search for "python" return Python books.
 *
 * Title templates: `{s}` the subject's Korean name, `{e}` its English name, `{a}`/`{b}` evocative
 * nouns, `{n}` an edition number, `{k}` a round count; `{과}`, `{을}`, `{이}`, `{로}` are particles that follow the
 * preceding word's final sound (과/와, 을/를, 이/가, 으로/로).
 */
export interface Subject {
  readonly id: string;
  readonly ko: string;
  readonly en: string;
}

export interface Topic {
  readonly id: string;
  /** Korean Decimal Classification (KDC) numbers books of this topic are filed under. */
  readonly classNos: readonly string[];
  /** Relative share of the catalogue. */
  readonly share: number;
  readonly subjects: readonly Subject[];
  readonly titles: readonly string[];
  readonly publishers: readonly string[];
  /** Share of books that are translations (a foreign author and a Korean translator). */
  readonly translatedShare: number;
  /** Which foreign writers its translated books come from. */
  readonly authorKind: AuthorKind;
  /** Share of translated books catalogued under their English original (978-0/978-1 ISBN, English title). */
  readonly englishOriginalShare: number;
  readonly englishTitles: readonly string[];
}

const IT_PUBLISHERS = [
  '한빛미디어',
  '길벗',
  '위키북스',
  '인사이트',
  '에이콘출판',
  '제이펍',
  '이지스퍼블리싱',
  '영진닷컴',
  "O'Reilly Media",
];
const IT_TITLES = [
  '혼자 공부하는 {s}',
  'Do it! {s} 입문',
  '이것이 {s}다',
  '{s} 완벽 가이드',
  '{s} 프로그래밍 {n}판',
  '실전 {s}',
  '모두의 {s}',
  '{s} 핵심 노트',
  '처음 배우는 {s}',
  '{s} 쿡북',
  '{s} 인 액션',
  '전문가를 위한 {s}',
];
const IT_ENGLISH_TITLES = [
  'Learning {e}',
  'Effective {e}',
  '{e} Cookbook',
  'Hands-On {e}',
  '{e} in Action',
  'Fluent {e}',
];
const LIT_PUBLISHERS = [
  '민음사',
  '문학동네',
  '창비',
  '문학과지성사',
  '은행나무',
  '위즈덤하우스',
  '자음과모음',
  '열린책들',
];
const POETIC_TITLES = [
  '{a}의 {b}',
  '{a}{과} {b}',
  '마지막 {a}',
  '{a}{을} 기다리는 밤',
  '{a}{이} 머무는 곳',
  '{a}의 시간',
  '{b}{로} 가는 길',
];

export const TOPICS: readonly Topic[] = Object.freeze([
  {
    id: 'python',
    authorKind: 'tech',
    classNos: ['005.133'],
    share: 7,
    translatedShare: 0.35,
    englishOriginalShare: 0.25,
    subjects: [
      { id: 'basics', ko: '파이썬', en: 'Python' },
      { id: 'flask', ko: '플라스크 웹 개발', en: 'Flask Web Development' },
      { id: 'django', ko: '장고 웹 프로그래밍', en: 'Django' },
      { id: 'data', ko: '파이썬 데이터 분석', en: 'Python for Data Analysis' },
      { id: 'automation', ko: '파이썬 업무 자동화', en: 'Python Automation' },
      { id: 'ml', ko: '파이썬 머신러닝', en: 'Machine Learning with Python' },
    ],
    titles: IT_TITLES,
    englishTitles: IT_ENGLISH_TITLES,
    publishers: IT_PUBLISHERS,
  },
  {
    id: 'javascript',
    authorKind: 'tech',
    classNos: ['005.133', '005.8'],
    share: 5,
    translatedShare: 0.35,
    englishOriginalShare: 0.2,
    subjects: [
      { id: 'basics', ko: '자바스크립트', en: 'JavaScript' },
      { id: 'react', ko: '리액트', en: 'React' },
      { id: 'node', ko: 'Node.js', en: 'Node.js' },
      { id: 'typescript', ko: '타입스크립트', en: 'TypeScript' },
      { id: 'vue', ko: 'Vue.js', en: 'Vue.js' },
    ],
    titles: IT_TITLES,
    englishTitles: IT_ENGLISH_TITLES,
    publishers: IT_PUBLISHERS,
  },
  {
    id: 'java',
    authorKind: 'tech',
    classNos: ['005.133'],
    share: 4,
    translatedShare: 0.3,
    englishOriginalShare: 0.15,
    subjects: [
      { id: 'basics', ko: '자바', en: 'Java' },
      { id: 'spring', ko: '스프링 부트', en: 'Spring Boot' },
      { id: 'kotlin', ko: '코틀린', en: 'Kotlin' },
    ],
    titles: IT_TITLES,
    englishTitles: IT_ENGLISH_TITLES,
    publishers: IT_PUBLISHERS,
  },
  {
    id: 'data',
    authorKind: 'tech',
    classNos: ['004.73', '005.74', '310'],
    share: 5,
    translatedShare: 0.4,
    englishOriginalShare: 0.2,
    subjects: [
      { id: 'ml', ko: '머신러닝', en: 'Machine Learning' },
      { id: 'dl', ko: '딥러닝', en: 'Deep Learning' },
      { id: 'stats', ko: '통계학', en: 'Statistics' },
      { id: 'sql', ko: 'SQL', en: 'SQL' },
      { id: 'bigdata', ko: '빅데이터', en: 'Big Data' },
    ],
    titles: IT_TITLES,
    englishTitles: IT_ENGLISH_TITLES,
    publishers: IT_PUBLISHERS,
  },
  {
    id: 'infra',
    authorKind: 'tech',
    classNos: ['004.6', '005.44'],
    share: 3,
    translatedShare: 0.3,
    englishOriginalShare: 0.2,
    subjects: [
      { id: 'aws', ko: 'AWS', en: 'AWS' },
      { id: 'docker', ko: '도커', en: 'Docker' },
      { id: 'kubernetes', ko: '쿠버네티스', en: 'Kubernetes' },
      { id: 'linux', ko: '리눅스', en: 'Linux' },
      { id: 'git', ko: 'Git', en: 'Git' },
    ],
    titles: IT_TITLES,
    englishTitles: IT_ENGLISH_TITLES,
    publishers: IT_PUBLISHERS,
  },
  {
    id: 'korean-fiction',
    authorKind: 'fiction',
    classNos: ['813.7', '813.6'],
    share: 12,
    translatedShare: 0,
    englishOriginalShare: 0,
    subjects: [
      { id: 'novel', ko: '장편소설', en: 'Novel' },
      { id: 'short', ko: '소설집', en: 'Short Stories' },
      { id: 'mystery', ko: '추리소설', en: 'Mystery' },
      { id: 'sf', ko: 'SF', en: 'Science Fiction' },
    ],
    titles: POETIC_TITLES,
    englishTitles: [],
    publishers: LIT_PUBLISHERS,
  },
  {
    id: 'foreign-fiction',
    authorKind: 'fiction',
    classNos: ['843', '833.6', '863'],
    share: 8,
    translatedShare: 1,
    englishOriginalShare: 0.05,
    subjects: [
      { id: 'novel', ko: '장편소설', en: 'Novel' },
      { id: 'mystery', ko: '추리소설', en: 'Mystery' },
      { id: 'fantasy', ko: '판타지', en: 'Fantasy' },
    ],
    titles: POETIC_TITLES,
    englishTitles: ['The {e} of Summer', 'A {e} Story'],
    publishers: LIT_PUBLISHERS,
  },
  {
    id: 'poetry-essay',
    authorKind: 'fiction',
    classNos: ['811.7', '814.7'],
    share: 6,
    translatedShare: 0.1,
    englishOriginalShare: 0,
    subjects: [
      { id: 'poetry', ko: '시집', en: 'Poems' },
      { id: 'essay', ko: '에세이', en: 'Essays' },
    ],
    titles: [...POETIC_TITLES, '{a}에게 쓰는 편지', '오늘도 {a}'],
    englishTitles: [],
    publishers: LIT_PUBLISHERS,
  },
  {
    id: 'history',
    authorKind: 'nonfiction',
    classNos: ['911', '909', '912'],
    share: 6,
    translatedShare: 0.3,
    englishOriginalShare: 0.05,
    subjects: [
      { id: 'korean', ko: '한국사', en: 'Korean History' },
      { id: 'world', ko: '세계사', en: 'World History' },
      { id: 'joseon', ko: '조선왕조실록', en: 'Joseon Dynasty' },
      { id: 'war', ko: '전쟁사', en: 'Military History' },
    ],
    titles: [
      '설민석의 {s} 강의',
      '한 권으로 읽는 {s}',
      '{s} 연대기',
      '벌거벗은 {s}',
      '{s}의 결정적 순간들',
      '청소년을 위한 {s}',
    ],
    englishTitles: ['A Short History of {e}'],
    publishers: ['휴머니스트', '책과함께', '김영사', '푸른역사', '다산초당'],
  },
  {
    id: 'cooking',
    authorKind: 'nonfiction',
    classNos: ['594.5', '594.51'],
    share: 5,
    translatedShare: 0.1,
    englishOriginalShare: 0,
    subjects: [
      { id: 'korean', ko: '한식', en: 'Korean Food' },
      { id: 'home', ko: '집밥', en: 'Home Cooking' },
      { id: 'baking', ko: '베이킹', en: 'Baking' },
      { id: 'vegan', ko: '비건 요리', en: 'Vegan Cooking' },
      { id: 'lunchbox', ko: '도시락', en: 'Lunch Boxes' },
    ],
    titles: [
      '매일 {s}',
      '{s} 레시피 {k}',
      '처음 만나는 {s}',
      '백 가지 {s}',
      '{s} 교과서',
      '오늘 뭐 먹지? {s}',
    ],
    englishTitles: [],
    publishers: ['레시피팩토리', '비타북스', '청림Life', '시대인', '이밥차'],
  },
  {
    id: 'children',
    authorKind: 'children',
    classNos: ['808.9', '813.8'],
    share: 8,
    translatedShare: 0.3,
    englishOriginalShare: 0.05,
    subjects: [
      { id: 'picture', ko: '그림책', en: 'Picture Book' },
      { id: 'fairytale', ko: '동화', en: 'Fairy Tale' },
      { id: 'learning', ko: '학습만화', en: 'Learning Comics' },
    ],
    titles: ['{a}{과} {b}', '안녕, {a}', '{a}{이} 좋아', '꼬마 {a}의 모험', '{s} 읽는 {a}', 'Why? {a}'],
    englishTitles: ['The Little {e}'],
    publishers: ['비룡소', '시공주니어', '보림', '사계절', '웅진주니어', '예림당'],
  },
  {
    id: 'economy',
    authorKind: 'nonfiction',
    classNos: ['320', '327.8', '327.85'],
    share: 6,
    translatedShare: 0.4,
    englishOriginalShare: 0.1,
    subjects: [
      { id: 'stocks', ko: '주식 투자', en: 'Stock Investing' },
      { id: 'realestate', ko: '부동산', en: 'Real Estate' },
      { id: 'economics', ko: '경제학', en: 'Economics' },
      { id: 'finance', ko: '재테크', en: 'Personal Finance' },
    ],
    titles: [
      '{s} 절대 원칙',
      '돈이 되는 {s}',
      '{s} 처음 공부',
      '부의 {a}',
      '{k}일 완성 {s}',
      '{s}의 모든 것',
    ],
    englishTitles: ['The Psychology of {e}', '{e} for Everyone'],
    publishers: ['한국경제신문', '부키', '비즈니스북스', '21세기북스', '알에이치코리아'],
  },
  {
    id: 'self-help',
    authorKind: 'nonfiction',
    classNos: ['199.1', '325.211'],
    share: 5,
    translatedShare: 0.5,
    englishOriginalShare: 0.1,
    subjects: [
      { id: 'habits', ko: '습관', en: 'Habits' },
      { id: 'time', ko: '시간 관리', en: 'Time Management' },
      { id: 'speech', ko: '말하기', en: 'Speaking' },
    ],
    titles: ['아주 작은 {s}의 힘', '{s}의 기술', '{k}일의 {s}', '하루 {k}분 {s}', '{s}{이} 인생을 바꾼다'],
    englishTitles: ['Atomic {e}', 'The Art of {e}'],
    publishers: ['비즈니스북스', '위즈덤하우스', '다산북스', '토네이도'],
  },
  {
    id: 'travel',
    authorKind: 'nonfiction',
    classNos: ['981', '982'],
    share: 4,
    translatedShare: 0.1,
    englishOriginalShare: 0,
    subjects: [
      { id: 'japan', ko: '일본 여행', en: 'Japan' },
      { id: 'europe', ko: '유럽 여행', en: 'Europe' },
      { id: 'jeju', ko: '제주 여행', en: 'Jeju' },
      { id: 'camping', ko: '캠핑', en: 'Camping' },
    ],
    titles: ['프렌즈 {s}', '{s} 100배 즐기기', '무작정 따라하기 {s}', '{s} 가이드북 {n}판', '걷기 좋은 {s}'],
    englishTitles: [],
    publishers: ['중앙북스', '길벗', '테라', '상상출판'],
  },
  {
    id: 'science',
    authorKind: 'nonfiction',
    classNos: ['400', '440', '470'],
    share: 5,
    translatedShare: 0.5,
    englishOriginalShare: 0.1,
    subjects: [
      { id: 'space', ko: '우주', en: 'the Cosmos' },
      { id: 'biology', ko: '생물학', en: 'Biology' },
      { id: 'physics', ko: '물리학', en: 'Physics' },
      { id: 'brain', ko: '뇌과학', en: 'the Brain' },
    ],
    titles: ['{s} 이야기', '처음 읽는 {s}', '떨림과 {a}', '{s}의 {a}', '코스모스와 {a}', '{s} 강의'],
    englishTitles: ['A Brief History of {e}', 'The Story of {e}'],
    publishers: ['사이언스북스', '동아시아', '김영사', '까치'],
  },
  {
    id: 'psychology',
    authorKind: 'nonfiction',
    classNos: ['180', '181'],
    share: 4,
    translatedShare: 0.5,
    englishOriginalShare: 0.05,
    subjects: [
      { id: 'mind', ko: '심리학', en: 'Psychology' },
      { id: 'relationships', ko: '관계 심리', en: 'Relationships' },
    ],
    titles: ['{s} 수업', '나를 위한 {s}', '{s}{이} 이렇게 쓸모 있을 줄이야', '{a}의 {s}'],
    englishTitles: ['Thinking about {e}'],
    publishers: ['21세기북스', '알에이치코리아', '갤리온'],
  },
  {
    id: 'health',
    authorKind: 'nonfiction',
    classNos: ['512.8', '517.3', '692'],
    share: 3,
    translatedShare: 0.2,
    englishOriginalShare: 0,
    subjects: [
      { id: 'diet', ko: '다이어트', en: 'Diet' },
      { id: 'exercise', ko: '홈트레이닝', en: 'Home Training' },
      { id: 'yoga', ko: '요가', en: 'Yoga' },
    ],
    titles: ['{k}일 {s}', '평생 {s}', '하루 {k}분 {s}', '{s} 교과서'],
    englishTitles: [],
    publishers: ['비타북스', '헬스조선', '한빛라이프'],
  },
  {
    id: 'art',
    authorKind: 'nonfiction',
    classNos: ['650', '658', '670'],
    share: 3,
    translatedShare: 0.3,
    englishOriginalShare: 0.05,
    subjects: [
      { id: 'painting', ko: '미술사', en: 'Art History' },
      { id: 'design', ko: '디자인', en: 'Design' },
      { id: 'music', ko: '클래식 음악', en: 'Classical Music' },
    ],
    titles: ['방구석 {s}', '{s} 산책', '한 권으로 보는 {s}', '{s}의 {a}'],
    englishTitles: ['The Story of {e}'],
    publishers: ['블랙피쉬', '안그라픽스', '아트북스', '예경'],
  },
]);

/** Nouns for literary and children's titles. */
export const TITLE_NOUNS: readonly string[] = Object.freeze([
  '달',
  '바람',
  '여름',
  '겨울',
  '밤',
  '고양이',
  '기억',
  '바다',
  '정원',
  '편지',
  '섬',
  '소년',
  '소녀',
  '빛',
  '안개',
  '숲',
  '별',
  '도시',
  '골목',
  '새벽',
  '구름',
  '시간',
  '그림자',
  '강',
  '눈',
  '꿈',
  '책방',
  '기차',
]);
