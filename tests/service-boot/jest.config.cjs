const preset = require('../../jest.preset.js');

module.exports = { ...preset, displayName: 'service-boot-tests', rootDir: __dirname };
