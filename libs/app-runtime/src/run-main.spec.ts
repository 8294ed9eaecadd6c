import { ConfigError } from '@optimove/config';
import { runMain } from './run-service';

describe(runMain.name, () => {
  afterEach(() => jest.restoreAllMocks());

  it('should turn a bad configuration into its short message and exit code 1, also when main throws before its first await', async () => {
    const written: string[] = [];
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => written.push(String(chunk)) > 0);
    const exited = new Promise<number | undefined>((resolve) => jest.spyOn(process, 'exit').mockImplementation(((code?: number) => resolve(code)) as typeof process.exit));

    // As `runMain(() => runServiceCommand(serviceEntry(), argv))`: the entry loads the config synchronously.
    runMain(() => {
      throw new ConfigError('ExampleConfig', ['DATABASE_URL: must be a postgres:// URL']);
    });

    expect(await exited).toBe(1);
    expect(written.join('')).toBe('Invalid configuration for ExampleConfig:\n  - DATABASE_URL: must be a postgres:// URL\n');
  });
});
