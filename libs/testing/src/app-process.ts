import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { waitFor } from './wait-for';

const ROOT = join(__dirname, '..', '..', '..');

export const APP_NAMES = ['profile-import', 'segmentation', 'smartfocus-dispatch', 'metrics-collector', 'smartfocus-simulator', 'console'] as const;
export type AppName = (typeof APP_NAMES)[number];

export type AppExit = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };

export type AppProcess = {
  child: ChildProcess;
  /** http://127.0.0.1:<HTTP_PORT> of the app. */
  baseUrl: string;
  exit: Promise<AppExit>;
  /** What the process printed so far. */
  output: () => { stdout: string; stderr: string };
  /** SIGTERM and wait for the exit. */
  stop: () => Promise<AppExit>;
  /** SIGKILL and wait for the exit: a crash, nothing cleaned up. */
  kill: () => Promise<AppExit>;
};

// A test that fails half way must not leave its apps running: their pipes would keep the jest
// worker alive ("Jest did not exit") and the processes would outlive the run. So the pipes do not
// hold the worker open, and after the last test of a file whatever it started is killed.
const running = new Set<ChildProcess>();
declare const afterAll: ((hook: () => Promise<void>) => void) | undefined;
if (typeof afterAll === 'function') {
  afterAll(async () => {
    const left = [...running].filter((child) => child.exitCode === null && child.signalCode === null);
    await Promise.all(left.map((child) => new Promise((resolve) => child.once('exit', resolve).kill('SIGKILL'))));
  });
}

/** The built `main.js` of an app; fails with the build command when it is missing. */
export function appMain(app: AppName): string {
  const main = join(ROOT, 'dist', 'apps', app, 'src', 'main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run "npx nx run-many -t build" first`);
  return main;
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/**
 * Runs a built app as operators do: its own process, configured only through `env` (plus PATH).
 * `args` runs a command instead of the server (`['migrate']`). The caller sets HTTP_PORT.
 */
export function spawnApp(app: AppName, env: Record<string, string>, args: string[] = []): AppProcess {
  return spawnNode([appMain(app), ...args], env);
}

/**
 * Runs `node <argv>` as a process of its own, configured only through `env` (plus PATH), with
 * the same output capture, stop and kill as `spawnApp` (for test programs that are not apps).
 */
export function spawnNode(argv: string[], env: Record<string, string>): AppProcess {
  const child = spawn(process.execPath, argv, {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.unref();
  let stdout = '';
  let stderr = '';
  for (const [stream, append] of [
    [child.stdout, (text: string) => (stdout += text)],
    [child.stderr, (text: string) => (stderr += text)],
  ] as const) {
    stream?.on('data', (chunk: Buffer) => append(chunk.toString()));
    (stream as { unref?: () => void } | null)?.unref?.();
  }
  const exit = new Promise<AppExit>((resolve) =>
    child.on('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal, stdout, stderr });
    }),
  );
  const signal = async (name: NodeJS.Signals): Promise<AppExit> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
    return exit;
  };
  return {
    child,
    baseUrl: `http://127.0.0.1:${env['HTTP_PORT'] ?? ''}`,
    exit,
    output: () => ({ stdout, stderr }),
    stop: () => signal('SIGTERM'),
    kill: () => signal('SIGKILL'),
  };
}

/** Runs the app's `migrate` command and fails with its output when it does not exit 0. */
export async function migrateApp(app: AppName, env: Record<string, string>): Promise<void> {
  const result = await spawnApp(app, env, ['migrate']).exit;
  if (result.code !== 0) throw new Error(`${app} migrate exited ${String(result.code ?? result.signal)}:\n${result.stderr}${result.stdout}`);
}

/**
 * Migrates, starts the app on a free port (unless env gives HTTP_PORT) and waits for
 * `/health/ready`; fails with the app's output when it exits or does not get ready in time.
 */
export async function startAppProcess(
  app: AppName,
  env: Record<string, string>,
  { migrate = true, readyTimeoutMs = 30_000 }: { migrate?: boolean; readyTimeoutMs?: number } = {},
): Promise<AppProcess> {
  const withPort = { ...env, HTTP_PORT: env['HTTP_PORT'] ?? String(await freePort()) };
  if (migrate) await migrateApp(app, withPort);
  const running = spawnApp(app, withPort);
  let exited: AppExit | undefined;
  void running.exit.then((result) => (exited = result));
  try {
    await waitFor(
      async () => {
        if (exited) throw new Error(`exited ${String(exited.code ?? exited.signal)}`);
        return (await fetch(`${running.baseUrl}/health/ready`)).ok;
      },
      { timeoutMs: readyTimeoutMs, intervalMs: 100, what: `${app} to be ready` },
    );
  } catch (error) {
    await running.kill();
    const { stdout, stderr } = running.output();
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${stderr}${stdout.slice(-4_000)}`);
  }
  return running;
}
