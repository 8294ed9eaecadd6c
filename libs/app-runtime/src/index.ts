export { ServiceCoreModule, type ServiceCoreOptions } from './service-core.module';
export { runServiceCommand, startService, createServiceApp, runMain, CommandError, REQUEST_ID_HEADER, assignRequestId, type ServiceEntry } from './run-service';
export { Public } from './http/public.decorator';
export { READINESS_CHECKS, type ReadinessCheck } from './health/health.controller';
export { defineService, type ServiceDefinition } from './define-service';
