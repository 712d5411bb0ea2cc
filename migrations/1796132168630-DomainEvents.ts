import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The domain-event outbox and each handler's record of delivery. E-mail is sent through it from now on, so any
 * message still waiting for the old mail queue is handed to it as a `mail.queued` event for the sweeper to send.
 */
export class DomainEvents1796132168630 implements MigrationInterface {
  name = 'DomainEvents1796132168630';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "domain_events" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "name" character varying(100) NOT NULL,
                "payload" jsonb NOT NULL,
                "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "completed_at" TIMESTAMP WITH TIME ZONE,
                "failed_at" TIMESTAMP WITH TIME ZONE,
                "last_error" text,
                CONSTRAINT "PK_66e0920a32dda3a89b46ee7a981" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_domain_events_pending" ON "domain_events" ("occurred_at")
            WHERE "completed_at" IS NULL
                AND "failed_at" IS NULL
        `);
    await queryRunner.query(`
            CREATE TABLE "domain_event_deliveries" (
                "event_id" uuid NOT NULL,
                "handler" character varying(100) NOT NULL,
                "delivered_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_e65bc686e29febb901ee9731374" PRIMARY KEY ("event_id", "handler")
            )
        `);
    await queryRunner.query(`
            ALTER TABLE "domain_event_deliveries"
            ADD CONSTRAINT "FK_1ce25d33d7f84cc004f92c7650e" FOREIGN KEY ("event_id") REFERENCES "domain_events"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            INSERT INTO "domain_events" ("name", "payload")
            SELECT 'mail.queued', jsonb_build_object('messageId', "id") FROM "email_messages" WHERE "status" = 'queued'
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "domain_event_deliveries" DROP CONSTRAINT "FK_1ce25d33d7f84cc004f92c7650e"
        `);
    await queryRunner.query(`
            DROP TABLE "domain_event_deliveries"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_domain_events_pending"
        `);
    await queryRunner.query(`
            DROP TABLE "domain_events"
        `);
  }
}
