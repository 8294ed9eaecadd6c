import { createLogger } from '@optimove/observability';
import { captureLogs, createTestBroker, createTestDatabase, startTestService, testServiceEnv, type LogCapture } from '@optimove/testing';
import { serviceEntry } from '../src/service-entry';

export type ConsoleInProcess = {
  /** http://127.0.0.1:<port> of the console. */
  baseUrl: string;
  /** Every line the console logged, from level info up. */
  logs: LogCapture;
  close: () => Promise<void>;
};

/**
 * The console in the test's own process, migrated into a database of its own, with `env` over
 * the test defaults (CONSOLE_USERS at least). For its API over HTTP without a browser; the browser
 * tests run the built app as a process instead (console.int-spec.ts).
 */
export async function startConsoleInProcess(label: string, env: Record<string, string>): Promise<ConsoleInProcess> {
  const database = await createTestDatabase(label);
  // The console publishes and consumes nothing: the broker's names are never used.
  const broker = createTestBroker(label);
  const resources = { databaseUrl: database.url, amqpUrl: broker.amqpUrl, exchange: broker.exchange, queuePrefix: broker.queuePrefix };
  const logs = captureLogs();
  try {
    const app = await startTestService(serviceEntry(testServiceEnv(resources, { LOG_LEVEL: 'info', ...env })), createLogger({ service: 'console', level: 'info', destination: logs.stream }));
    return {
      baseUrl: app.baseUrl,
      logs,
      close: async () => {
        await app.close();
        await database.drop();
      },
    };
  } catch (error) {
    await database.drop();
    throw error;
  }
}

/** The logged lines that carry a stack trace (an unexpected exception, as Nest logs one). */
export function linesWithStack(logs: LogCapture): Record<string, unknown>[] {
  return logs.lines().filter((line) => JSON.stringify(line).includes('"stack"'));
}
