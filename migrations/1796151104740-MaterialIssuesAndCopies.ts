import { MigrationInterface, QueryRunner } from 'typeorm';

export class MaterialIssuesAndCopies1796151104740 implements MigrationInterface {
  name = 'MaterialIssuesAndCopies1796151104740';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "material_issues" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "material_id" uuid NOT NULL,
                "edition_id" uuid NOT NULL,
                "holder_id" uuid NOT NULL,
                "cohort_id" uuid NOT NULL,
                "organisation_id" uuid NOT NULL,
                "enrolment_id" uuid,
                "basis" character varying(20) NOT NULL,
                "issued_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "withdrawn_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_0b303538eb1e8414d6c52db4886" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_ce374870254d4a754d343aa2c8" ON "material_issues" ("holder_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_13e65e0fee9d6d334fece03e48" ON "material_issues" ("edition_id", "holder_id", "cohort_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "material_copies" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "issue_id" uuid NOT NULL,
                "edition_id" uuid NOT NULL,
                "copy_number" integer NOT NULL,
                "stamp" text NOT NULL,
                "started_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "completed_at" TIMESTAMP WITH TIME ZONE,
                "sha256" character varying(64),
                "size_bytes" integer,
                CONSTRAINT "PK_a4d6d81823d62c1cfaf783c8592" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_1a10bd58b980dd55c338e299fd" ON "material_copies" ("sha256")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_6a6efa1480ee0f17cf75df60ab" ON "material_copies" ("edition_id", "copy_number")
        `);
    await queryRunner.query(`
            ALTER TABLE "material_issues"
            ADD CONSTRAINT "FK_1fe98c79b7547873f2fac9f607f" FOREIGN KEY ("material_id") REFERENCES "materials"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "material_issues"
            ADD CONSTRAINT "FK_476a87e8c50ad56d192fa8f2507" FOREIGN KEY ("edition_id") REFERENCES "material_editions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "material_copies"
            ADD CONSTRAINT "FK_78b46a7cbd001e916bc734aac18" FOREIGN KEY ("issue_id") REFERENCES "material_issues"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "material_copies" DROP CONSTRAINT "FK_78b46a7cbd001e916bc734aac18"
        `);
    await queryRunner.query(`
            ALTER TABLE "material_issues" DROP CONSTRAINT "FK_476a87e8c50ad56d192fa8f2507"
        `);
    await queryRunner.query(`
            ALTER TABLE "material_issues" DROP CONSTRAINT "FK_1fe98c79b7547873f2fac9f607f"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_6a6efa1480ee0f17cf75df60ab"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_1a10bd58b980dd55c338e299fd"
        `);
    await queryRunner.query(`
            DROP TABLE "material_copies"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_13e65e0fee9d6d334fece03e48"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_ce374870254d4a754d343aa2c8"
        `);
    await queryRunner.query(`
            DROP TABLE "material_issues"
        `);
  }
}
