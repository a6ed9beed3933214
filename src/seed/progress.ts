/**
 * What the seeder reports its item load to. The CLI draws it as a progress bar
 * (`countProgress` in `src/cli/progressBar.ts`); tests pass nothing.
 */
export interface Progress {
  advance(count: number): void;
  /** Called once at the end, so a log shows the final state even of a short load. */
  finish(): void;
}
