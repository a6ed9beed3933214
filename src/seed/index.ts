/** The seeding API other modules use (the CLI command, `npm start`, pipeline tests). */
export { seedSource, type SeedDeps, type SeedSummary, type SeedDaySummary } from './seedSource';
export { resolveSeedOptions, SEED_DEFAULTS, type SeedOptions, type ResolvedSeedOptions } from './options';
export {
  generateSearchItems,
  planSearchDays,
  type GeneratedSearch,
  type SearchGenerationOptions,
} from './generateSearches';
export { generateCatalogue, type Book, type Catalogue } from './catalogue';
export { generateStaff, type StaffMember } from './staff';
export {
  BAD_ITEM_KINDS,
  HOSTILE_KEYWORDS,
  TOO_MANY_KEYWORDS,
  type BadItemKind,
  type BadItemKindInfo,
} from './badItems';
export type { GeneratedChoice } from './choices';
export { isValidIsbn13, isbn13CheckDigit } from './isbn';
export { SEOUL_LIBRARIES } from './data/libraries';
