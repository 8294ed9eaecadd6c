import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { runMain, runServiceCommand, startService } from '@optimove/app-runtime';
import { OutboxWriter } from '@optimove/messaging';
import { createLogger } from '@optimove/observability';
import { processCrashes, testAppEntry } from './messaging-test-apps';

// A messaging test app (messaging-test-apps.ts) in a process of its own, for the tests that kill
// it or that an event crashes; started by test-app-process.ts. Besides the app's environment:
// TEST_APP_SERVICE names it, TEST_APP_CONSUMES=1 gives it the recording handler, and
// TEST_APP_WRITE=<marker> makes it write events (source file `<marker>.csv`) into its outbox in
// small transactions until it is killed; every fourth transaction is rolled back after printing
// `rolled-back <event ids>` on stdout, so the test knows events that were never committed.

class RolledBack extends Error {}

runMain(async () => {
  const env = process.env as Record<string, string>;
  const service = env['TEST_APP_SERVICE'];
  const entry = testAppEntry(service, env, env['TEST_APP_CONSUMES'] === '1');
  processCrashes.allowed = true;
  await runServiceCommand(entry, ['node', 'main', 'migrate']);
  const app = await startService(entry, createLogger({ service, level: entry.config.LOG_LEVEL }));
  const marker = env['TEST_APP_WRITE'];
  if (!marker) return;
  const dataSource = app.get(DataSource);
  const writer = app.get(OutboxWriter);
  for (let transaction = 0; ; transaction += 1) {
    await dataSource
      .transaction(async (manager) => {
        const payloads = Array.from({ length: 5 }, () => ({
          importId: randomUUID(),
          dataset: 'customers' as const,
          sourceFileName: `${marker}.csv`,
          asOfDate: '2026-11-26',
          rowsRead: 10,
          rowsLoaded: 9,
          rowsRejected: 1,
          checksum: 'a'.repeat(64),
        }));
        const events = await writer.enqueueMany(manager, 'profiles.imported.v1', payloads);
        if (transaction % 4 === 3) {
          process.stdout.write(`rolled-back ${events.map((event) => event.id).join(' ')}\n`);
          throw new RolledBack();
        }
      })
      .catch((error: unknown) => {
        if (!(error instanceof RolledBack)) throw error;
      });
  }
});
