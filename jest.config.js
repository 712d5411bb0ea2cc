// Unit tests sit beside the code (src, *.spec.ts); end-to-end tests in test/ run on real PostgreSQL, Redis and SMTP.
// ts-jest rather than @swc/jest: this registry serves only Linux builds of swc, and npm ci then finds the lock file
// out of step with swc's optional platform packages.
const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
    // jose 6 ships only ES modules: Node 20.19+ require()s them, Jest's module loader cannot, so Jest compiles them.
    '/node_modules/jose/.+\\.js$': ['ts-jest', { diagnostics: false, tsconfig: { allowJs: true } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  moduleNameMapper: { '^src/(.*)$': '<rootDir>/src/$1' },
};

module.exports = {
  testTimeout: 30_000,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
