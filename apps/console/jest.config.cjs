const path = require('node:path');
const { jestProject } = require('../../jest.preset.js');

// Three Jest projects: the server's unit tests (`console`), its integration tests (`console:int`:
// real services and Chromium), and the browser app's component tests (`console-web`: jsdom, unit
// tier, no service at all).
const server = jestProject(__dirname, 'console', { roots: ['<rootDir>/src'] });

const webSwc = {
  jsc: { parser: { syntax: 'typescript', tsx: true }, transform: { react: { runtime: 'automatic' } }, target: 'es2022' },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
  swcrc: false,
};

module.exports = {
  ...server,
  projects: [
    ...server.projects,
    {
      displayName: 'console-web',
      rootDir: __dirname,
      roots: ['<rootDir>/web/src'],
      testEnvironment: 'jsdom',
      testMatch: ['**/?(*.)+(spec).ts?(x)'],
      moduleFileExtensions: ['tsx', 'ts', 'js', 'mjs', 'cjs', 'json'],
      transform: { '^.+\\.(t|j|mj)sx?$': ['@swc/jest', webSwc] },
      // recharts 3 and its d3 helpers ship ES modules.
      transformIgnorePatterns: ['/node_modules/(?!(recharts|d3-|internmap|victory-vendor|es-toolkit|@reduxjs|immer|reselect|redux)/)'],
      moduleNameMapper: { '\\.css$': path.join(__dirname, 'web/src/test/style-stub.cjs') },
      setupFilesAfterEnv: [path.join(__dirname, 'web/jest.setup.ts')],
    },
  ],
};
