import { composeServiceEnv, readCompose } from './compose';

// The compose file itself is checked in tests/deploy; this is the helper the app config specs use.
describe(composeServiceEnv.name, () => {
  it('should merge the shared environment and resolve ${VAR:-default} to its default', () => {
    const env = composeServiceEnv('smartfocus-dispatch');

    expect(env['APP']).toBe('smartfocus-dispatch');
    expect(env['DATABASE_URL']).toMatch(/^postgres:\/\//);
    expect(env['API_TOKEN']).toBe('local-compose-token-change-me');
    expect(Object.values(env).filter((value) => value.includes('${'))).toEqual([]);
  });

  it('should fail with the service name when the service is not in the file', () => {
    expect(Object.keys(readCompose().services)).not.toContain('nope');
    expect(() => composeServiceEnv('nope')).toThrow('docker-compose.yml has no service "nope"');
  });
});
