import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { SettingEntity } from './setting.entity';

/** Simulator settings kept in the database, so a restart keeps the clock and the faults. */
@Injectable()
export class SettingsRepository {
  constructor(@InjectRepository(SettingEntity) private readonly settings: Repository<SettingEntity>) {}

  async read<T>(key: string): Promise<T | undefined> {
    const row = await this.settings.findOneBy({ key });
    return row ? (row.value as T) : undefined;
  }

  async write(key: string, value: object): Promise<void> {
    await this.settings.upsert({ key, value, updatedAt: new Date() }, ['key']);
  }
}
