const preset = require('../../jest.preset.js');

module.exports = { ...preset, displayName: 'profile-import', rootDir: __dirname };
