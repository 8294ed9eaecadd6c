import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkConfig, composeEnv, readCompose, readEnvFile, ROOT, workspaceApps } from './deploy-support';

// docker-compose.yml, validated here by parsing (no Docker engine on this machine): every app of
// the workspace is a service of the one image with health checks, starts after the migration
// one-shot, and its environment satisfies its config class (the built app's `check-config`).

describe('docker-compose.yml', () => {
  const compose = readCompose();
  const apps = workspaceApps();

  it('should run every app of the workspace, PostgreSQL, RabbitMQ, the migration one-shot and the demo', () => {
    expect(Object.keys(compose.services).sort()).toEqual([...apps, 'demo', 'migrate', 'postgres', 'rabbitmq'].sort());
    for (const app of apps) expect(composeEnv(compose.services[app]).APP).toBe(app);
  });

  it('should start every app only after the migrations completed and the broker is healthy, and check its health', () => {
    for (const app of apps) {
      const service = compose.services[app];
      expect(service.depends_on).toMatchObject({ migrate: { condition: 'service_completed_successfully' }, rabbitmq: { condition: 'service_healthy' } });
      expect(service.healthcheck?.test.join(' ')).toContain('/health/ready');
    }
    expect(compose.services['migrate'].depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(compose.services['postgres'].healthcheck).toBeDefined();
    expect(compose.services['rabbitmq'].healthcheck).toBeDefined();
  });

  it('should start the apps that call SmartFocus after the simulator is healthy', () => {
    for (const app of ['smartfocus-dispatch', 'metrics-collector']) {
      expect(compose.services[app].depends_on?.['smartfocus-simulator']).toEqual({ condition: 'service_healthy' });
      expect(composeEnv(compose.services[app]).SMARTFOCUS_BASE_URL).toBe('http://smartfocus-simulator:3000');
    }
  });

  it('should migrate every app in the one-shot', () => {
    const script = readFileSync(join(ROOT, 'tools', 'migrate-all.sh'), 'utf8');
    const migrated = /for app in ([^;]+);/.exec(script)?.[1].trim().split(/\s+/).sort();
    expect(migrated).toEqual(apps);
  });

  it('should run the main job in a container under the demo profile, after every app is healthy', () => {
    const demo = compose.services['demo'];
    expect(demo.profiles).toEqual(['demo']);
    expect(demo.entrypoint?.slice(0, 2)).toEqual(['node', 'tools/demo.mjs']);
    expect(Object.keys(demo.depends_on ?? {}).sort()).toEqual(apps);
    for (const dependency of Object.values(demo.depends_on ?? {})) expect(dependency.condition).toBe('service_healthy');
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/COPY .*tools\/demo\.mjs/);
    expect(dockerfile).toMatch(/COPY .*tools\/stack\.mjs/);
  });

  it('should, with demo.env, make the services follow the simulator clock in a development stack their config classes accept', () => {
    const demoEnv = readEnvFile('demo.env');
    const followers = ['profile-import', 'segmentation', 'smartfocus-dispatch', 'metrics-collector'];
    for (const app of apps) {
      const env = composeEnv(compose.services[app], demoEnv);
      expect([app, env.CLOCK_FOLLOW_URL ?? '']).toEqual([app, followers.includes(app) ? 'http://smartfocus-simulator:3000/admin/clock' : '']);
      expect(env.NODE_ENV).toBe('development');
    }
    expect(composeEnv(compose.services['segmentation'], demoEnv).RUN_SCHEDULE_ENABLED).toBe('false');
    const results = apps.map((app) => checkConfig(app, composeEnv(compose.services[app], demoEnv)));
    expect(results.filter((result) => !result.valid)).toEqual([]);
  });

  it('should give every app an environment its config class accepts', () => {
    const results = apps.map((app) => checkConfig(app, composeEnv(compose.services[app])));

    expect(results.filter((result) => !result.valid)).toEqual([]);
  });
});
