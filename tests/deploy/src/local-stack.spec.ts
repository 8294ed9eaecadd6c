import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './deploy-support';

// tools/stack.mjs, the local stack of `npm start`, `npm run demo` and the night's benchmark. It is
// an ES module, so it runs in a child node process here.

/** Starts the simulator on `port` with the local stack and prints what happened. */
async function startOn(port: number): Promise<string> {
  const script = `
    const { LocalStack } = await import(${JSON.stringify(join(ROOT, 'tools', 'stack.mjs'))});
    const stack = new LocalStack({ ...process.env, API_TOKEN: 'local-stack-test-token-0123456789' }, () => undefined, { quiet: true });
    try {
      await stack.start([['smartfocus-simulator', ${port}]]);
      console.log('started');
    } catch (error) {
      console.log(error.message);
    } finally {
      await stack.stop();
    }`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, timeout: 60_000 });
  return stdout.trim();
}

describe('the local stack', () => {
  let other: Server;

  beforeAll(async () => {
    // Another stack's app: it answers the readiness check on the port the stack wants.
    other = createServer((_request, response) => response.end('{"status":"ok"}'));
    await new Promise<void>((resolve) => other.listen(0, resolve));
  });

  afterAll(async () => {
    await new Promise((resolve) => other.close(resolve));
  });

  it('should refuse to start an app on a port another process listens on, naming the port', async () => {
    const port = (other.address() as AddressInfo).port;

    await expect(startOn(port)).resolves.toBe(`port ${port} of smartfocus-simulator is already in use (another npm start, npm run demo or benchmark?): stop it first`);
  });
});
