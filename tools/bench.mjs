#!/usr/bin/env node
// `npm run bench`: runs every benchmark script in bench/ one after the other;
// `npm run bench -- smartfocus-segment` runs the ones whose file name contains that word.
// Each script builds what it needs, prints its figures beside the baseline measured in the same run.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bench = join(dirname(fileURLToPath(import.meta.url)), '..', 'bench');
const filters = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const options = process.argv.slice(2).filter((arg) => arg.startsWith('--'));
const scripts = readdirSync(bench)
  .filter((name) => name.endsWith('.mjs'))
  .filter((name) => filters.length === 0 || filters.some((filter) => name.includes(filter)))
  .sort();
if (scripts.length === 0) {
  process.stderr.write(`no benchmark in bench/ matches ${filters.join(', ')}\n`);
  process.exit(1);
}
let failed = 0;
for (const script of scripts) {
  process.stdout.write(`\n### ${script}\n`);
  const result = spawnSync(process.execPath, [join(bench, script), ...options], { stdio: 'inherit' });
  if (result.status !== 0) failed += 1;
}
process.exit(failed === 0 ? 0 : 1);
