import { Module, type DynamicModule } from '@nestjs/common';
import type { DataSourceOptions } from 'typeorm';
import { loadConfig, type BaseServiceConfig } from '@optimove/config';
import type { Logger } from '@optimove/observability';
import type { ServiceEntry } from './run-service';
import { ServiceCoreModule } from './service-core.module';

export type ServiceDefinition<C extends BaseServiceConfig> = {
  /** Service name: logs, metrics, CloudEvents source, queue and connection name. */
  service: string;
  /** The app's own database schema. */
  schema: string;
  /** One sentence for the OpenAPI document. */
  description: string;
  configClass: new () => C;
  dataSourceOptions: (config: C) => DataSourceOptions;
  /** The app's feature modules. */
  features?: (config: C) => DynamicModule[];
  /** false for an app that neither publishes nor consumes events (the simulator). */
  messaging?: boolean;
  /** Secrets of the app's own config to mask in logs (API_TOKEN and URL credentials always are). */
  secrets?: (config: C) => readonly (string | undefined)[];
};

@Module({})
class ServiceRootModule {}

/**
 * Declares an app once: the returned function loads and validates its config from `env` (the
 * process environment by default; tests pass their own) and gives what `runServiceCommand` runs.
 */
export function defineService<C extends BaseServiceConfig>(
  definition: ServiceDefinition<C>,
): (env?: Record<string, string | undefined>) => ServiceEntry {
  return (env) => {
    const config = loadConfig(definition.configClass, env);
    const dataSourceOptions = definition.dataSourceOptions(config);
    const messaging = definition.messaging ?? true;
    const { service, schema, description } = definition;
    return {
      service,
      schema,
      description,
      config,
      dataSourceOptions,
      messaging,
      secrets: definition.secrets?.(config),
      rootModule: (logger: Logger): DynamicModule => ({
        module: ServiceRootModule,
        imports: [
          ServiceCoreModule.forRoot({ service, schema, config, dataSourceOptions, logger, messaging }),
          ...(definition.features?.(config) ?? []),
        ],
      }),
    };
  };
}
