import { readCompose } from './compose';

const APPS = ['profile-import', 'segmentation', 'smartfocus-dispatch', 'metrics-collector', 'smartfocus-simulator', 'console'];

describe('docker-compose.yml', () => {
  const compose = readCompose();

  it('should run the six apps, PostgreSQL, RabbitMQ and the migration one-shot', () => {
    expect(Object.keys(compose.services).sort()).toEqual([...APPS, 'migrate', 'postgres', 'rabbitmq'].sort());
  });

  it('should start every app only after the migrations completed', () => {
    for (const app of APPS) {
      const service = compose.services[app] as { depends_on?: Record<string, { condition: string }> };
      expect(service.depends_on?.['migrate']).toEqual({ condition: 'service_completed_successfully' });
    }
  });

  it('should select each app by the APP variable of the one image', () => {
    for (const app of APPS) {
      expect(compose.services[app].environment?.['APP']).toBe(app);
    }
  });
});
