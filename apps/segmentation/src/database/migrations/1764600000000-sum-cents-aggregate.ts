import type { MigrationInterface, QueryRunner } from 'typeorm';

// The full model build sums every transaction's amount into four window bands per customer. The
// built-in sum(bigint) keeps a 128-bit state allocated per group (and numeric's is larger): over a
// million customers the hash tables outgrew work_mem and spilled. This sum keeps a plain bigint
// (overflow is an error, as for int8 addition) and combines partial sums of parallel workers.
export class SumCentsAggregate1764600000000 implements MigrationInterface {
  name = 'SumCentsAggregate1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE AGGREGATE segmentation.sum_cents(bigint) (SFUNC = int8pl, STYPE = bigint, COMBINEFUNC = int8pl, PARALLEL = SAFE)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP AGGREGATE segmentation.sum_cents(bigint)');
  }
}
