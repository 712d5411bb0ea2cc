import { MigrationInterface, QueryRunner } from 'typeorm';

export class SessionReminders1795365354423 implements MigrationInterface {
  name = 'SessionReminders1795365354423';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "session_reminders" (
                "session_id" uuid NOT NULL,
                "user_id" uuid NOT NULL,
                "sequence" integer NOT NULL,
                "sent_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_c34e06925e408d229c77b216f28" PRIMARY KEY ("session_id", "user_id", "sequence")
            )
        `);
    await queryRunner.query(`
            ALTER TABLE "cohort_sessions" DROP COLUMN "reminder_sent_sequence"
        `);
    await queryRunner.query(`
            ALTER TABLE "session_reminders"
            ADD CONSTRAINT "FK_484e2b40c153f325e09fbd8b0e9" FOREIGN KEY ("session_id") REFERENCES "cohort_sessions"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "session_reminders" DROP CONSTRAINT "FK_484e2b40c153f325e09fbd8b0e9"
        `);
    await queryRunner.query(`
            ALTER TABLE "cohort_sessions"
            ADD "reminder_sent_sequence" integer
        `);
    await queryRunner.query(`
            DROP TABLE "session_reminders"
        `);
  }
}
