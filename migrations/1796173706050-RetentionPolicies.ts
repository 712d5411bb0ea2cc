import { MigrationInterface, QueryRunner } from 'typeorm';

/** The periods admins set per record type (src/privacy/retention.ts); a type without a row keeps its default. */
export class RetentionPolicies1796173706050 implements MigrationInterface {
  name = 'RetentionPolicies1796173706050';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "retention_policies" (
                "record_type" character varying(60) NOT NULL,
                "keep_months" integer NOT NULL,
                "updated_by" uuid,
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_618b8626f4c80b253b817f2e2a4" PRIMARY KEY ("record_type")
            )
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "retention_policies"`);
  }
}
