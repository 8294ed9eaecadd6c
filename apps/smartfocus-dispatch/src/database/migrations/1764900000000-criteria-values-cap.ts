import type { MigrationInterface, QueryRunner } from 'typeorm';

// The values cap a group's criteria_done counts windows of: a replica resuming with another cap
// cannot tell which ids those windows held, so it adds the criteria again from the first.
export class CriteriaValuesCap1764900000000 implements MigrationInterface {
  name = 'CriteriaValuesCap1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE dispatch.dispatch ADD COLUMN criteria_values_cap integer');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE dispatch.dispatch DROP COLUMN criteria_values_cap');
  }
}
