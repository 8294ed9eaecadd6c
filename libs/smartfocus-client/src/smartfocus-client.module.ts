import { Module, type DynamicModule, type FactoryProvider } from '@nestjs/common';
import { LOGGER, type Logger } from '@optimove/observability';
import { SmartFocusClient } from './smartfocus-client';
import type { SmartFocusClientSettings } from './smartfocus-client.config';

export type SmartFocusClientModuleOptions = {
  /** Builds the settings, e.g. `(config: DispatchConfig) => smartFocusClientSettings(config)`. */
  useFactory: (...args: never[]) => SmartFocusClientSettings;
  inject?: FactoryProvider['inject'];
};

/**
 * Provides `SmartFocusClient` to an app, logging through the app's logger (LOGGER, when the app
 * has one) and closing the sessions on shutdown.
 */
@Module({})
export class SmartFocusClientModule {
  static forRoot(options: SmartFocusClientModuleOptions): DynamicModule {
    const settingsToken = Symbol('SMARTFOCUS_CLIENT_SETTINGS');
    return {
      module: SmartFocusClientModule,
      providers: [
        { provide: settingsToken, useFactory: options.useFactory, inject: options.inject ?? [] },
        {
          provide: SmartFocusClient,
          inject: [settingsToken, { token: LOGGER, optional: true }],
          useFactory: (settings: SmartFocusClientSettings, logger?: Logger) => new SmartFocusClient(settings, logger),
        },
      ],
      exports: [SmartFocusClient],
    };
  }
}
