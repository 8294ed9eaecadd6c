#!/usr/bin/env node
// `npm start`: runs the whole system on this machine against the local PostgreSQL and RabbitMQ.
// Builds, creates the database if needed, applies every app's migrations, starts the six apps,
// waits until each reports ready, and stops them all on Ctrl-C (SIGINT) or SIGTERM.
import { APPS, LocalStack, localUrl, prepare, stackEnv } from './stack.mjs';

function say(line) {
  process.stdout.write(`[start] ${line}\n`);
}

const { env, madeUp } = stackEnv();
if (madeUp.apiToken) say(`API_TOKEN was not set; this run uses ${madeUp.apiToken}`);
await prepare(env, say);

const stack = new LocalStack(env, say);
let stopping = false;
function stop(signal) {
  if (stopping) return;
  stopping = true;
  say(`${signal}: stopping the apps`);
  void stack.stop();
}
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));

try {
  await stack.start(APPS);
  say('all six apps are ready:');
  for (const [app, port] of APPS) say(`  ${app.padEnd(22)} ${localUrl(port)}  (docs /docs, health /health/ready, metrics /metrics)`);
  say(`the console: ${localUrl(3006)}${madeUp.consolePassword ? `  (sign in as marketer / ${madeUp.consolePassword})` : ''}`);
  say('Ctrl-C stops them.');
} catch (error) {
  say(error.message);
  stop('startup failure');
  process.exitCode = 1;
}

await stack.exited();
say('stopped');
