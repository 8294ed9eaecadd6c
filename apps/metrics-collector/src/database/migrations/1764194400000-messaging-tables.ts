import type { MigrationInterface, QueryRunner } from 'typeorm';
import { messagingTablesV1Down, messagingTablesV1Up } from '@optimove/messaging';

export class MessagingTables1764194400000 implements MigrationInterface {
  name = 'MessagingTables1764194400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of messagingTablesV1Up('metrics')) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const statement of messagingTablesV1Down('metrics')) await queryRunner.query(statement);
  }
}
