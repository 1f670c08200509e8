/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest'], '^.+\\.js$': ['@swc/jest'] },
  // otplib's default plugins (@scure/base, @noble/hashes) and openid-client (with oauth4webapi and jose) are ESM-only,
  // which jest's CommonJS runtime cannot
  // require: only these are compiled, everything else in node_modules is loaded as is.
  transformIgnorePatterns: ['/node_modules/(?!(@scure|@noble|openid-client|oauth4webapi|jose)/)'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  // Every REST answer and webhook payload a test sees is checked for camelCase keys (tests/support/snake-case.ts).
  setupFilesAfterEnv: ['<rootDir>/tests/support/snake-case-check.ts'],
  globalSetup: '<rootDir>/tests/support/global-setup.ts',
  globalTeardown: '<rootDir>/tests/support/global-teardown.ts',
  testTimeout: 60000,
  maxWorkers: 2,
  // How long a worker may take to exit once its files are done before jest kills it and reports "a worker process has
  // failed to exit gracefully". Jest's 500 ms is shorter than a worker's exit on a loaded 2-core machine: even a run of
  // trivial test files was reported, while every worker exited by itself with code 0 and no handle left (checked
  // with process.getActiveResourcesInfo() after each file). A handle a test leaks keeps its worker alive past 5 s and
  // is still reported.
  workerGracefulExitTimeout: 5000,
  reporters: ['default', '<rootDir>/tests/support/summary-reporter.js'],
};
