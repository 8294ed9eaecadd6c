import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Clock } from '@optimove/clock';
import { SettingsRepository } from './settings.repository';

type ClockSetting = { offsetMs: number };

/**
 * The simulator's time: the system time plus an offset the admin API sets or advances. Campaign
 * states, session lifetimes and engagement figures all follow it. The offset is persisted.
 */
@Injectable()
export class SimulatorClock implements Clock, OnModuleInit {
  private offsetMs = 0;

  constructor(private readonly settings: SettingsRepository) {}

  async onModuleInit(): Promise<void> {
    this.offsetMs = (await this.settings.read<ClockSetting>('clock'))?.offsetMs ?? 0;
  }

  now(): Date {
    // The one place that reads the machine's time: everything else asks this clock.
    return new Date(Date.now() + this.offsetMs);
  }

  async set(instant: Date): Promise<Date> {
    this.offsetMs = instant.getTime() - Date.now();
    await this.settings.write('clock', { offsetMs: this.offsetMs } satisfies ClockSetting);
    return this.now();
  }

  async advance(milliseconds: number): Promise<Date> {
    this.offsetMs += milliseconds;
    await this.settings.write('clock', { offsetMs: this.offsetMs } satisfies ClockSetting);
    return this.now();
  }

  offset(): number {
    return this.offsetMs;
  }
}
