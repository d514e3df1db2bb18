/** Jest runs the TypeScript sources as native ES modules (Agenda 6 is ESM-only). */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] },
  globalSetup: '<rootDir>/test/support/globalSetup.ts',
  globalTeardown: '<rootDir>/test/support/globalTeardown.ts',
  testTimeout: 30000,
  // Agenda arms a watchdog timer (lockLifetime / 2) for every job run that its
  // stop() cannot clear; without this, a worker that ran a job lingers minutes.
  forceExit: true,
};
