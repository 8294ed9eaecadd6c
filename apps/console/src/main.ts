import 'reflect-metadata';
import { runMain, runServiceCommand } from '@optimove/app-runtime';
import { runHashPasswordCommand } from './auth/hash-password-command';
import { serviceEntry } from './service-entry';

// `main.js hash-password` prints the bcrypt hash of a password read from standard input (for
// CONSOLE_USERS); everything else is the shared service command (`serve`, default, or `migrate`).
if (process.argv[2] === 'hash-password') {
  runMain(() => runHashPasswordCommand(process.stdin, process.stdout));
} else {
  runMain(() => runServiceCommand(serviceEntry(), process.argv));
}
