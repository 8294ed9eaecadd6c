const preset = require('../../jest.preset.js');

// chokidar 5 and its readdirp are ESM-only: let SWC transform them like the @nestjs packages.
const transformIgnorePatterns = preset.transformIgnorePatterns.map((pattern) => pattern.replace('(?!(', '(?!(chokidar|readdirp|'));

module.exports = { ...preset, displayName: 'profile-import', rootDir: __dirname, transformIgnorePatterns };
