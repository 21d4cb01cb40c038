// The projects, each run by `npm test`:
//   unit         pure code, no servers
//   workflows    one time-skipping Temporal test server per file; files run serially (--runInBand)
//   integration  one Temporal dev server, Postgres and stripe-mock shared through globalSetup
//   portal       the billing portal in Debian's Chromium (playwright-core), on the integration project's servers
//   faults       crashes and restarts of the worker, Temporal, Postgres and the payment provider
const transform = {
  '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }],
};
const base = { testEnvironment: 'node', transform, moduleFileExtensions: ['ts', 'js', 'json'] };

module.exports = {
  // Tests on real servers wait on them: a ceiling per test (a file may set its own), never an assertion of speed. Jest's
  // 5 s default failed a quote test on a machine busy with a 10,000-team benchmark. jest-circus reads the global
  // setting only (a project's own testTimeout is ignored), so it is set here, for every project.
  testTimeout: 60_000,
  // In band, one process runs every file: exit when the run is done, and name what a test left open (see the teardown).
  forceExit: true,
  globalTeardown: '<rootDir>/test/support/open-handles-teardown.ts',
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    { ...base, displayName: 'workflows', testMatch: ['<rootDir>/test/workflows/**/*.test.ts'] },
    {
      ...base,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/integration-setup.ts',
      globalTeardown: '<rootDir>/test/support/integration-teardown.ts',
    },
    {
      ...base,
      displayName: 'portal',
      testMatch: ['<rootDir>/test/portal/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/portal-setup.ts',
      globalTeardown: '<rootDir>/test/support/portal-teardown.ts',
    },
    { ...base, displayName: 'faults', testMatch: ['<rootDir>/test/faults/**/*.test.ts'] },
  ],
};
