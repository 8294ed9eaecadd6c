const preset = require('../../jest.preset.js');

module.exports = { ...preset, displayName: 'smartfocus-client', rootDir: __dirname };
