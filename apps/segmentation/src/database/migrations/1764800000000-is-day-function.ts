import type { MigrationInterface, QueryRunner } from 'typeorm';

// Whether a text is a day as profile-import stores a date attribute ("YYYY-MM-DD", a calendar day of
// the years 0001 to 9999): a rule casts a stored attribute value to date only then. A value left by
// an earlier declaration of another type ("gold", "2026-02-30") would otherwise make the cast throw,
// and one such customer failed every campaign of the nightly run's shared pass. PostgreSQL 15 has
// no pg_input_is_valid; this check cannot throw (the digits are read only once the pattern holds).
// One SELECT, IMMUTABLE and not STRICT, so the planner inlines it into the rule's expression.
export class IsDayFunction1764800000000 implements MigrationInterface {
  name = 'IsDayFunction1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE FUNCTION segmentation.is_day(value text) RETURNS boolean
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      AS $$ SELECT CASE
        WHEN value ~ '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$' AND left(value, 4) <> '0000'
        THEN substr(value, 9, 2)::int <= CASE substr(value, 6, 2)
          WHEN '02' THEN CASE WHEN substr(value, 1, 4)::int % 4 = 0 AND (substr(value, 1, 4)::int % 100 <> 0 OR substr(value, 1, 4)::int % 400 = 0) THEN 29 ELSE 28 END
          WHEN '04' THEN 30 WHEN '06' THEN 30 WHEN '09' THEN 30 WHEN '11' THEN 30
          ELSE 31 END
        ELSE false END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP FUNCTION segmentation.is_day(text)');
  }
}
