const preset = require('../../jest.preset.js');

module.exports = { ...preset, displayName: 'metrics-collector', rootDir: __dirname };
