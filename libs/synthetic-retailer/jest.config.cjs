const preset = require('../../jest.preset.js');

module.exports = { ...preset, displayName: 'synthetic-retailer', rootDir: __dirname };
