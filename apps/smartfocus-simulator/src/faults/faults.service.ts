import { Injectable, type OnModuleInit } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { SettingsRepository } from '../clock/settings.repository';
import { NO_FAULTS, decideFault, latencyOf, type FaultDecision, type FaultSettings } from './fault-settings';

/** The switchable faults, persisted (a restart keeps them) and applied to every SmartFocus call. */
@Injectable()
export class FaultsService implements OnModuleInit {
  private settings: FaultSettings = NO_FAULTS;

  constructor(private readonly repository: SettingsRepository) {}

  async onModuleInit(): Promise<void> {
    this.settings = (await this.repository.read<FaultSettings>('faults')) ?? NO_FAULTS;
  }

  current(): FaultSettings {
    return this.settings;
  }

  async replace(settings: FaultSettings): Promise<FaultSettings> {
    this.settings = settings;
    await this.repository.write('faults', settings);
    return settings;
  }

  /** Waits the configured latency, then says whether this call fails, is dropped or proceeds. */
  async apply(operation: string): Promise<FaultDecision> {
    const latency = latencyOf(this.settings, operation);
    if (latency > 0) await sleep(latency);
    const { decision, next } = decideFault(this.settings, operation, Math.random);
    if (next !== this.settings) await this.replace(next);
    return decision;
  }
}
