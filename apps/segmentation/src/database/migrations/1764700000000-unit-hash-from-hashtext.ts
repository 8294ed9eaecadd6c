import type { MigrationInterface, QueryRunner } from 'typeorm';

const unitHash = (body: string): string => `CREATE OR REPLACE FUNCTION segmentation.unit_hash(salt text, customer_id text) RETURNS double precision
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT ${body} $$`;

// The assignment hash from PostgreSQL's own 64-bit text hash (the top 52 bits of
// hashtextextended, as src/shared/unit-hash.ts computes them) instead of md5: an md5 in SQL cost
// about 0.8 s per million customers, and the nightly run computes up to three per targeted customer.
// It moves customers between groups: campaigns and the global control group created before this
// migration draw their groups anew from the next run (no release had run a campaign before it).
export class UnitHashFromHashtext1764700000000 implements MigrationInterface {
  name = 'UnitHashFromHashtext1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(unitHash(`((hashtextextended(salt || ':' || customer_id, 0) >> 12) & 4503599627370495) / 4503599627370496::double precision`));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(unitHash(`('x' || substr(md5(salt || ':' || customer_id), 1, 13))::bit(52)::bigint / 4503599627370496::double precision`));
  }
}
