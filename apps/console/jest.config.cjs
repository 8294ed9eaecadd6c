const path = require('node:path');
const preset = require('../../jest.preset.js');

// Two kinds of test: the server's (Node; *.int-spec.ts start real services and drive Chromium)
// and the browser app's components (jsdom, no service at all).
const webSwc = {
  jsc: { parser: { syntax: 'typescript', tsx: true }, transform: { react: { runtime: 'automatic' } }, target: 'es2022' },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
  swcrc: false,
};

module.exports = {
  // Global options: the browser tests start processes and Chromium.
  testTimeout: 60_000,
  projects: [
    { ...preset, displayName: 'console', rootDir: __dirname, roots: ['<rootDir>/src'] },
    {
      displayName: 'console-web',
      rootDir: __dirname,
      roots: ['<rootDir>/web/src'],
      testEnvironment: 'jsdom',
      testMatch: ['**/?(*.)+(spec).ts?(x)'],
      moduleFileExtensions: ['tsx', 'ts', 'js', 'mjs', 'cjs', 'json'],
      transform: { '^.+\\.(t|j|mj)sx?$': ['@swc/jest', webSwc] },
      transformIgnorePatterns: ['/node_modules/(?!(recharts|d3-|internmap|victory-vendor|es-toolkit|@reduxjs|immer|reselect|redux)/)'],
      moduleNameMapper: { '\\.css$': path.join(__dirname, 'web/src/test/style-stub.cjs') },
      setupFilesAfterEnv: [path.join(__dirname, 'web/jest.setup.ts')],
      testTimeout: 20_000,
    },
  ],
};
