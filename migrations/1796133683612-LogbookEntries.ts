import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Logbook entries, their submitted revisions and the reviews of them. Revisions and reviews are the record of what
 * was submitted and decided, so the database refuses to change or remove them.
 */
export class LogbookEntries1796133683612 implements MigrationInterface {
  name = 'LogbookEntries1796133683612';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "logbook_entries" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "enrolment_id" uuid NOT NULL,
                "kind" character varying(30) NOT NULL,
                "status" character varying(12) NOT NULL DEFAULT 'draft',
                "session_id" uuid,
                "occurred_on" date NOT NULL,
                "minutes" integer,
                "stage" character varying(40),
                "skills" text array NOT NULL DEFAULT '{}',
                "observed" boolean,
                "observed_by" character varying(200),
                "what_happened" text NOT NULL DEFAULT '',
                "reflection" text NOT NULL DEFAULT '',
                "learning" text NOT NULL DEFAULT '',
                "next_steps" text NOT NULL DEFAULT '',
                "revision" integer NOT NULL DEFAULT '0',
                "submitted_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_967ef821a783ea0b691682c3305" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_312d602a618b28b1e8946d4db1" ON "logbook_entries" ("status", "submitted_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_107e228d41b3dd35f39c8488a0" ON "logbook_entries" ("enrolment_id", "kind", "status")
        `);
    await queryRunner.query(`
            CREATE TABLE "logbook_revisions" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "entry_id" uuid NOT NULL,
                "number" integer NOT NULL,
                "content" jsonb NOT NULL,
                "submitted_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_ddbc20892a2d5550848e1064679" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_73c83eec5aaefb904a551a0a45" ON "logbook_revisions" ("entry_id", "number")
        `);
    await queryRunner.query(`
            CREATE TABLE "logbook_reviews" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "entry_id" uuid NOT NULL,
                "revision" integer NOT NULL,
                "reviewer_id" uuid NOT NULL,
                "decision" character varying(10) NOT NULL,
                "feedback" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_2c116d9a1f42cf5efcf9689165a" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_b786e0ac91a1fc75f1af8233e5" ON "logbook_reviews" ("entry_id", "created_at")
        `);
    await queryRunner.query(`
            ALTER TABLE "logbook_entries"
            ADD CONSTRAINT "FK_8b598cf9586ae3f97fe1d210dea" FOREIGN KEY ("enrolment_id") REFERENCES "enrolments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "logbook_revisions"
            ADD CONSTRAINT "FK_cacdb399f8261afaf07ec85e4a7" FOREIGN KEY ("entry_id") REFERENCES "logbook_entries"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "logbook_reviews"
            ADD CONSTRAINT "FK_db095a8f7f3bc9b2e5c0700b9c3" FOREIGN KEY ("entry_id") REFERENCES "logbook_entries"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            CREATE FUNCTION logbook_records_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
            END $$
        `);
    for (const table of ['logbook_revisions', 'logbook_reviews']) {
      await queryRunner.query(`
                CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON "${table}"
                FOR EACH STATEMENT EXECUTE FUNCTION logbook_records_append_only()
            `);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['logbook_revisions', 'logbook_reviews'])
      await queryRunner.query(`DROP TRIGGER ${table}_append_only ON "${table}"`);
    await queryRunner.query(`DROP FUNCTION logbook_records_append_only()`);
    await queryRunner.query(`
            ALTER TABLE "logbook_reviews" DROP CONSTRAINT "FK_db095a8f7f3bc9b2e5c0700b9c3"
        `);
    await queryRunner.query(`
            ALTER TABLE "logbook_revisions" DROP CONSTRAINT "FK_cacdb399f8261afaf07ec85e4a7"
        `);
    await queryRunner.query(`
            ALTER TABLE "logbook_entries" DROP CONSTRAINT "FK_8b598cf9586ae3f97fe1d210dea"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_b786e0ac91a1fc75f1af8233e5"
        `);
    await queryRunner.query(`
            DROP TABLE "logbook_reviews"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_73c83eec5aaefb904a551a0a45"
        `);
    await queryRunner.query(`
            DROP TABLE "logbook_revisions"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_107e228d41b3dd35f39c8488a0"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_312d602a618b28b1e8946d4db1"
        `);
    await queryRunner.query(`
            DROP TABLE "logbook_entries"
        `);
  }
}
