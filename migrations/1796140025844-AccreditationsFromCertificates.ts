import { MigrationInterface, QueryRunner } from 'typeorm';

export class AccreditationsFromCertificates1796140025844 implements MigrationInterface {
  name = 'AccreditationsFromCertificates1796140025844';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "accreditation_renewals" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "accreditation_id" uuid NOT NULL,
                "renewed_on" date NOT NULL,
                "previous_expires_on" date NOT NULL,
                "expires_on" date NOT NULL,
                "note" text NOT NULL,
                "recorded_by" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_b46f498626540b05e2a45926b98" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_89ab7e3bc84d895c107148dc73" ON "accreditation_renewals" ("accreditation_id", "renewed_on")
        `);
    await queryRunner.query(`
            CREATE TABLE "accreditation_reminders" (
                "accreditation_id" uuid NOT NULL,
                "expires_on" date NOT NULL,
                "days_before" integer NOT NULL,
                "sent_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_1c40b40562ace2012da18181b30" PRIMARY KEY ("accreditation_id", "expires_on", "days_before")
            )
        `);
    await queryRunner.query(`
            ALTER TABLE "facilitator_accreditations"
            ADD "valid_years" integer NOT NULL DEFAULT '3'
        `);
    await queryRunner.query(`
            ALTER TABLE "facilitator_accreditations"
            ADD "certificate_id" uuid
        `);
    await queryRunner.query(`
            ALTER TABLE "facilitator_accreditations"
            ADD CONSTRAINT "UQ_b9f45e7ca4038f390b3a94e4329" UNIQUE ("certificate_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "facilitator_accreditations"
            ADD "withdrawn_on" date
        `);
    await queryRunner.query(`
            ALTER TABLE "course_completions"
            ADD "certificate_id" uuid
        `);
    await queryRunner.query(`
            ALTER TABLE "course_completions"
            ADD CONSTRAINT "UQ_7edc77a9c360f5aeb545bd49c38" UNIQUE ("certificate_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "course_completions"
            ADD "withdrawn_on" date
        `);
    await queryRunner.query(`
            ALTER TABLE "course_completions" DROP CONSTRAINT "UQ_4e1ac8c7d7a0b09ba0e876cab3b"
        `);
    await queryRunner.query(`
            ALTER TABLE "accreditation_renewals"
            ADD CONSTRAINT "FK_589fec3e6422f7e128afc0853c7" FOREIGN KEY ("accreditation_id") REFERENCES "facilitator_accreditations"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "accreditation_reminders"
            ADD CONSTRAINT "FK_74d2821c9a843ab565a0b7c3416" FOREIGN KEY ("accreditation_id") REFERENCES "facilitator_accreditations"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "accreditation_reminders" DROP CONSTRAINT "FK_74d2821c9a843ab565a0b7c3416"
        `);
    await queryRunner.query(`
            ALTER TABLE "accreditation_renewals" DROP CONSTRAINT "FK_589fec3e6422f7e128afc0853c7"
        `);
    await queryRunner.query(`
            ALTER TABLE "course_completions"
            ADD CONSTRAINT "UQ_4e1ac8c7d7a0b09ba0e876cab3b" UNIQUE ("enrolment_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "course_completions" DROP COLUMN "withdrawn_on"
        `);
    await queryRunner.query(`
            ALTER TABLE "course_completions" DROP CONSTRAINT "UQ_7edc77a9c360f5aeb545bd49c38"
        `);
    await queryRunner.query(`
            ALTER TABLE "course_completions" DROP COLUMN "certificate_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "facilitator_accreditations" DROP COLUMN "withdrawn_on"
        `);
    await queryRunner.query(`
            ALTER TABLE "facilitator_accreditations" DROP CONSTRAINT "UQ_b9f45e7ca4038f390b3a94e4329"
        `);
    await queryRunner.query(`
            ALTER TABLE "facilitator_accreditations" DROP COLUMN "certificate_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "facilitator_accreditations" DROP COLUMN "valid_years"
        `);
    await queryRunner.query(`
            DROP TABLE "accreditation_reminders"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_89ab7e3bc84d895c107148dc73"
        `);
    await queryRunner.query(`
            DROP TABLE "accreditation_renewals"
        `);
  }
}
