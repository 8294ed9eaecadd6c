const preset = require('../../jest.preset.js');

module.exports = { ...preset, displayName: 'event-backbone-tests', rootDir: __dirname };
