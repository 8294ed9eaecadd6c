const preset = require('../../jest.preset.js');

module.exports = { ...preset, displayName: 'smartfocus-dispatch', rootDir: __dirname };
