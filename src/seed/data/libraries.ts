/**
 * The public libraries of the Seoul Metropolitan Office of Education. Search items name a library by
 * its short name, as the seed service did (`["노원", "마포", "남산"]`).
 */
export interface Library {
  readonly shortName: string;
  readonly fullName: string;
  /** Relative share of searches that include this library (big central libraries draw more). */
  readonly popularity: number;
}

export const SEOUL_LIBRARIES: readonly Library[] = Object.freeze([
  { shortName: '정독', fullName: '정독도서관', popularity: 10 },
  { shortName: '남산', fullName: '남산도서관', popularity: 9 },
  { shortName: '노원', fullName: '노원평생학습관', popularity: 8 },
  { shortName: '마포', fullName: '마포평생학습관', popularity: 8 },
  { shortName: '강남', fullName: '강남도서관', popularity: 7 },
  { shortName: '송파', fullName: '송파도서관', popularity: 7 },
  { shortName: '양천', fullName: '양천도서관', popularity: 6 },
  { shortName: '종로', fullName: '종로도서관', popularity: 6 },
  { shortName: '강서', fullName: '강서도서관', popularity: 6 },
  { shortName: '동대문', fullName: '동대문도서관', popularity: 5 },
  { shortName: '고덕', fullName: '고덕평생학습관', popularity: 5 },
  { shortName: '개포', fullName: '개포도서관', popularity: 5 },
  { shortName: '도봉', fullName: '도봉도서관', popularity: 4 },
  { shortName: '영등포', fullName: '영등포평생학습관', popularity: 4 },
  { shortName: '구로', fullName: '구로도서관', popularity: 4 },
  { shortName: '동작', fullName: '동작도서관', popularity: 4 },
  { shortName: '서대문', fullName: '서대문도서관', popularity: 4 },
  { shortName: '강동', fullName: '강동도서관', popularity: 3 },
  { shortName: '용산', fullName: '용산도서관', popularity: 3 },
  { shortName: '고척', fullName: '고척도서관', popularity: 3 },
  { shortName: '어린이', fullName: '서울특별시교육청어린이도서관', popularity: 2 },
  { shortName: '아현', fullName: '마포평생학습관 아현분관', popularity: 2 },
]);
