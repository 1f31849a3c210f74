// Three projects: unit tests need nothing; integration and end-to-end tests share one real
// embedded database (or the server at MONGODB_URI), started once per run by the global setup.
const transform = {
  '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }],
  // jose ships ES modules only; Node 20 requires them natively, jest's module loader does not.
  '/node_modules/jose/.+\\.js$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
};
const common = {
  transform,
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  // The partner template's tests run in the repository it generates (test/e2e/partner-scaffold);
  // dist/ is the kit's build output, which nothing here imports.
  testPathIgnorePatterns: ['/node_modules/', '/.data/', '/.cache/', '/subgraphs/kit/template/', '/dist/'],
  modulePathIgnorePatterns: ['<rootDir>/subgraphs/kit/template/', '<rootDir>/subgraphs/kit/dist/'],
};

// Jest runs a project's global setup only when that project has tests to run, and the same
// file only once, so a unit-only run neither builds nor starts the database.
const withDatabase = {
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/**/*.test.ts'],
      testPathIgnorePatterns: [
        ...common.testPathIgnorePatterns,
        '\\.int\\.test\\.ts$',
        '\\.e2e\\.test\\.ts$',
      ],
    },
    { ...common, ...withDatabase, displayName: 'integration', testMatch: ['<rootDir>/**/*.int.test.ts'] },
    { ...common, ...withDatabase, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e.test.ts'] },
  ],
};
