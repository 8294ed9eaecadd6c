const { base, jestProject } = require('../../jest.preset.js');

// chokidar 5 and its readdirp are ESM-only: let SWC transform them like the @nestjs packages.
const transformIgnorePatterns = base.transformIgnorePatterns.map((pattern) => pattern.replace('(?!(', '(?!(chokidar|readdirp|'));

module.exports = jestProject(__dirname, 'profile-import', { transformIgnorePatterns });
