const preset = require('../../jest.preset.js');

module.exports = { ...preset, displayName: 'segmentation', rootDir: __dirname };
