// Lets `node -r ./ts-register.cjs program.ts` run our TypeScript as the build would compile it
// (the workspace's .swcrc, @optimove/* paths included), for tests that need a process of its own.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { transformSync } = require('@swc/core');

const root = join(__dirname, '..', '..', '..');
const { jsc, module: moduleOptions } = JSON.parse(readFileSync(join(root, '.swcrc'), 'utf8'));
const options = { jsc: { ...jsc, baseUrl: root }, module: moduleOptions, sourceMaps: 'inline', swcrc: false };

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), { ...options, filename });
  module._compile(code, filename);
};
