/**
 * Two tiers, run together by `npm test`:
 * - unit: `*.unit.test.ts`, pure code (explode, row encoding, MIME, report rendering, config, dates); no services,
 *   no global setup (`npm run test:unit`);
 * - integration: every other `*.test.ts`; globalSetup starts the real local stand-ins on this run's own ports
 *   (`npm run test:integration`).
 * A test that needs no service is named `*.unit.test.ts`; anything else defaults to the integration tier.
 */
const shared = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  setupFiles: ['<rootDir>/test/support/quietTemporalLogs.ts'],
};

module.exports = {
  testTimeout: 120000,
  maxWorkers: 2,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['**/*.unit.test.ts'] },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: ['\\.unit\\.test\\.ts$'],
      globalSetup: '<rootDir>/test/support/globalSetup.ts',
      globalTeardown: '<rootDir>/test/support/globalTeardown.ts',
    },
  ],
};
