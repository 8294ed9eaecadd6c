const preset = require('../../jest.preset.js');

// Pure functions: no PostgreSQL or RabbitMQ, so none of the shared service set-up.
module.exports = { ...preset, displayName: 'statistics', rootDir: __dirname, globalSetup: undefined, globalTeardown: undefined };
