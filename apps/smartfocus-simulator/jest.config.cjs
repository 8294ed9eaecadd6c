const preset = require('../../jest.preset.js');

module.exports = { ...preset, displayName: 'smartfocus-simulator', rootDir: __dirname };
