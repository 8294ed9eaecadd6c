import 'reflect-metadata';
import { runMain, runServiceCommand } from '@optimove/app-runtime';
import { runImportCommand } from './cli/import-command';
import { serviceEntry } from './service-entry';

// `main.js import ...` is this app's own command (a one-shot CLI); everything else is the
// shared service command (`serve`, default, or `migrate`).
if (process.argv[2] === 'import') {
  runMain(async () => {
    process.exitCode = await runImportCommand(process.argv.slice(3));
  });
} else {
  runMain(() => runServiceCommand(serviceEntry(), process.argv));
}
