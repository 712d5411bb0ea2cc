import { MigrationInterface, QueryRunner } from 'typeorm';

export class Certificates1796135976746 implements MigrationInterface {
  name = 'Certificates1796135976746';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "certificates" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "enrolment_id" uuid NOT NULL,
                "course_code" character varying(20) NOT NULL,
                "serial" character varying(20) NOT NULL,
                "verification_code" character varying(40) NOT NULL,
                "status" character varying(12) NOT NULL DEFAULT 'queued',
                "holder_name" character varying(200) NOT NULL,
                "issued_by_id" uuid NOT NULL,
                "issued_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "rendered_at" TIMESTAMP WITH TIME ZONE,
                "sha256" character varying(64),
                "render_attempts" integer NOT NULL DEFAULT '0',
                "last_error" text,
                "revoked_at" TIMESTAMP WITH TIME ZONE,
                "revocation_reason" text,
                "supersedes_id" uuid,
                CONSTRAINT "UQ_87af1f436e42688acef033da093" UNIQUE ("serial"),
                CONSTRAINT "UQ_b8da93b1f21f3ab2f62cf685f22" UNIQUE ("verification_code"),
                CONSTRAINT "UQ_cbf4f5c4535b844240eeca30b42" UNIQUE ("supersedes_id"),
                CONSTRAINT "PK_e4c7e31e2144300bea7d89eb165" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_e36101e98a87da9cfbc106dd21" ON "certificates" ("status", "issued_at")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_certificates_one_per_enrolment" ON "certificates" ("enrolment_id")
            WHERE "status" <> 'superseded'
        `);
    await queryRunner.query(`
            CREATE TABLE "certificate_serials" (
                "course_code" character varying(20) NOT NULL,
                "year" integer NOT NULL,
                "last" integer NOT NULL,
                CONSTRAINT "PK_c9d99a9f53f3150923d25a14115" PRIMARY KEY ("course_code", "year")
            )
        `);
    await queryRunner.query(`
            ALTER TABLE "certificates"
            ADD CONSTRAINT "FK_eae67dad555fdec30762dfcec2e" FOREIGN KEY ("enrolment_id") REFERENCES "enrolments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "certificates" DROP CONSTRAINT "FK_eae67dad555fdec30762dfcec2e"
        `);
    await queryRunner.query(`
            DROP TABLE "certificate_serials"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_certificates_one_per_enrolment"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_e36101e98a87da9cfbc106dd21"
        `);
    await queryRunner.query(`
            DROP TABLE "certificates"
        `);
  }
}
