// Shared Jest settings. NestJS 12 is ESM-only, so @swc/jest transforms our TypeScript and the
// ESM packages under node_modules (see ../shared/design/stack-notes.md, "Jest").
//
// Two test tiers (README "Tests"): `*.spec.ts` unit tests need no PostgreSQL and no RabbitMQ;
// `*.int-spec.ts` integration tests use the real services, found once by the global setup.
// A project's jest.config.cjs is `module.exports = jestProject(__dirname, '<name>')`: one jest
// run with two Jest projects, `<name>` (unit) and `<name>:int` (integration). The integration
// project's global setup runs only when one of its tests runs, so the unit tier alone
// (`--selectProjects <name>`, the `test:unit` target) never touches a service.
const path = require('node:path');
const { compilerOptions } = require('./tsconfig.base.json');

const root = __dirname;
const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [
    `^${alias.replace('/', '\\/')}$`,
    path.join(root, target),
  ]),
);

const swcOptions = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
  swcrc: false,
};

/** What both tiers share: how to load our TypeScript and the ESM packages. */
const base = {
  testEnvironment: 'node',
  setupFiles: ['reflect-metadata'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  transform: { '^.+\\.(t|j|mj)s$': ['@swc/jest', swcOptions] },
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|file-type|strtok3|token-types|peek-readable|uint8array-extras|@tokenizer|load-esm)/)'],
  moduleNameMapper,
};

const UNIT_TESTS = ['**/?(*.)+(spec).ts'];
const INTEGRATION_TESTS = ['**/*.int-spec.ts'];

/**
 * The jest config of one Nx project: a unit project named `name` and an integration project
 * named `name:int`, both rooted at `dir`. `overrides` (e.g. transformIgnorePatterns) apply to both.
 */
function jestProject(dir, name, overrides = {}) {
  return {
    // Integration tests start Nest apps, databases and broker topologies; give them room.
    testTimeout: 60_000,
    // A handle some library leaves open after the last test (a pool, a socket) must never keep
    // the run, and CI with it, waiting forever; jest still prints which run did not exit.
    forceExit: true,
    projects: [
      { ...base, ...overrides, displayName: name, rootDir: dir, testMatch: UNIT_TESTS, testPathIgnorePatterns: ['/node_modules/', '\\.int-spec\\.ts$'] },
      {
        ...base,
        ...overrides,
        displayName: `${name}:int`,
        rootDir: dir,
        testMatch: INTEGRATION_TESTS,
        globalSetup: path.join(root, 'libs/testing/src/global-setup.ts'),
        globalTeardown: path.join(root, 'libs/testing/src/global-teardown.ts'),
      },
    ],
  };
}

/**
 * The single-project shape of earlier configs (`{ ...preset, displayName, rootDir }`), kept so
 * such a config still runs every test with the services; move it to `jestProject`.
 */
module.exports = {
  ...base,
  globalSetup: path.join(root, 'libs/testing/src/global-setup.ts'),
  globalTeardown: path.join(root, 'libs/testing/src/global-teardown.ts'),
  testMatch: ['**/?(*.)+(spec|int-spec).ts'],
  testTimeout: 60_000,
};
Object.defineProperty(module.exports, 'jestProject', { value: jestProject, enumerable: false });
Object.defineProperty(module.exports, 'base', { value: base, enumerable: false });
