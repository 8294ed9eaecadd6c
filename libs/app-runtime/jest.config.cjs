const preset = require('../../jest.preset.js');

module.exports = { ...preset, displayName: 'app-runtime', rootDir: __dirname };
