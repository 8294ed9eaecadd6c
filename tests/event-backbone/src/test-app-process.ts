import { join } from 'node:path';
import { freePort, spawnNode, type AppProcess } from '@optimove/testing';

const REGISTER = join(__dirname, 'ts-register.cjs');
const MAIN = join(__dirname, 'test-app-main.ts');

/**
 * Starts a messaging test app in a process of its own (test-app-main.ts, compiled on the fly), for
 * tests that kill it or that an event crashes. Does not wait for it: the caller watches what it
 * does (the database, the queues, `/health/ready` at its `baseUrl`) or its exit. `write` makes
 * it write events until it is killed.
 */
export async function spawnTestApp(service: string, env: Record<string, string>, options: { consumes: boolean; write?: string }): Promise<AppProcess> {
  return spawnNode(['-r', REGISTER, MAIN], {
    ...env,
    HTTP_PORT: String(await freePort()),
    TEST_APP_SERVICE: service,
    TEST_APP_CONSUMES: options.consumes ? '1' : '0',
    ...(options.write ? { TEST_APP_WRITE: options.write } : {}),
  });
}
