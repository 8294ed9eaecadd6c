import { simulatorEnv, startAppProcess, testServiceEnv, type AppProcess } from '@optimove/testing';

/** The simulator's admin API token in these suites. */
export const API_TOKEN = 'test-api-token-0123456789';

export type RunningSimulator = {
  baseUrl: string;
  /** Everything the simulator processes printed so far (across restarts), its log at debug level. */
  logs: () => string;
  /** SIGTERM and wait for the exit. */
  stop: () => Promise<void>;
  /** Stops the process and starts a new one on the same database and port. */
  restart: () => Promise<void>;
};

/**
 * Runs the BUILT simulator (dist/apps/smartfocus-simulator) as its own process, as operators do:
 * the contract suites never import the app, so the simulator shares no code with the client.
 */
export async function startSimulator(databaseUrl: string): Promise<RunningSimulator> {
  const env = testServiceEnv({ databaseUrl, amqpUrl: 'amqp://unused', exchange: 'unused', queuePrefix: '' }, { ...simulatorEnv(), LOG_LEVEL: 'debug' });
  delete env['HTTP_PORT'];
  let running: AppProcess = await startAppProcess('smartfocus-simulator', env);
  const port = new URL(running.baseUrl).port;
  let earlier = '';
  return {
    baseUrl: running.baseUrl,
    logs: () => earlier + running.output().stdout,
    stop: async () => {
      await running.stop();
    },
    restart: async () => {
      const exit = await running.stop();
      earlier += exit.stdout;
      running = await startAppProcess('smartfocus-simulator', { ...env, HTTP_PORT: port }, { migrate: false });
    },
  };
}
