import { resolveTestServices, type TestServices } from './services';

declare global {
  var __TEST_SERVICES__: TestServices | undefined;
}

/** Jest globalSetup: resolve the services once and hand their URLs to every worker. */
export default async function globalSetup(): Promise<void> {
  const services = await resolveTestServices(process.env);
  globalThis.__TEST_SERVICES__ = services;
  process.env['TEST_DATABASE_ADMIN_URL'] = services.databaseUrl;
  process.env['TEST_AMQP_URL'] = services.amqpUrl;
}
