import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1795362035326 implements MigrationInterface {
  name = 'InitialSchema1795362035326';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "areas" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "code" character varying(9) NOT NULL,
                "name" character varying(200) NOT NULL,
                "region" character varying(100) NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "UQ_1ce4e4f7cd8d820081bc74aa16c" UNIQUE ("code"),
                CONSTRAINT "PK_5110493f6342f34c978c084d0d6" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "organisations" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "name" character varying(200) NOT NULL,
                "kind" character varying(30) NOT NULL,
                "area_id" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_7bf54cba378d5b2f1d4c10ef4df" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_ec927b3d1a550288853b8841ca" ON "organisations" ("area_id", "name")
        `);
    await queryRunner.query(`
            CREATE TABLE "users" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "email" character varying(254) NOT NULL,
                "name" character varying(200) NOT NULL,
                "roles" text array NOT NULL DEFAULT '{}',
                "organisation_id" uuid,
                "profession" character varying(40),
                "password_hash" character varying(200),
                "status" character varying(10) NOT NULL DEFAULT 'invited',
                "last_signed_in_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "UQ_97672ac88f789774dd47f7c8be3" UNIQUE ("email"),
                CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "user_tokens" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "user_id" uuid NOT NULL,
                "purpose" character varying(20) NOT NULL,
                "token_hash" character varying(64) NOT NULL,
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "used_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "UQ_ebdd918653813b59cdd5d379b5b" UNIQUE ("token_hash"),
                CONSTRAINT "PK_63764db9d9aaa4af33e07b2f4bf" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_9e144a67be49e5bba91195ef5d" ON "user_tokens" ("user_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "workforce_baselines" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "area_id" uuid NOT NULL,
                "profession" character varying(40) NOT NULL,
                "headcount" integer NOT NULL,
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_d46257ea76445e8eed3680af90" CHECK ("headcount" >= 0),
                CONSTRAINT "PK_20bb6e212d410e3b89b61687287" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_2bfab01cd4ad72e4325d983b95" ON "workforce_baselines" ("area_id", "profession")
        `);
    await queryRunner.query(`
            CREATE TABLE "commissioner_areas" (
                "user_id" uuid NOT NULL,
                "area_id" uuid NOT NULL,
                CONSTRAINT "PK_be427b3185a4d1ab994a054ed43" PRIMARY KEY ("user_id", "area_id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "email_messages" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "to_address" character varying(254) NOT NULL,
                "template" character varying(60) NOT NULL,
                "subject" character varying(300) NOT NULL,
                "context" jsonb NOT NULL,
                "secret_keys" text array NOT NULL DEFAULT '{}',
                "status" character varying(10) NOT NULL DEFAULT 'queued',
                "attempts" integer NOT NULL DEFAULT '0',
                "last_error" text,
                "sent_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_922cad79d5a315f5d1d06b077da" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_cf997ddb04078a6a388fdc42d7" ON "email_messages" ("status", "created_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "audit_events" (
                "id" BIGSERIAL NOT NULL,
                "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "actor_id" uuid,
                "action" character varying(80) NOT NULL,
                "subject_type" character varying(40),
                "subject_id" character varying(80),
                "details" jsonb NOT NULL DEFAULT '{}',
                "ip_address" character varying(64),
                "request_id" character varying(64),
                CONSTRAINT "PK_910f64d901a5c3e9878f0d4a407" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_0ff681fd8083500d69bd452816" ON "audit_events" ("subject_id", "occurred_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_463cf6bce2b93c9b4968281c7a" ON "audit_events" ("actor_id", "occurred_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_1c57e65d74846167c21807d300" ON "audit_events" ("action", "occurred_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_4e139cc590fd5127ecc451472e" ON "audit_events" ("occurred_at")
        `);
    await queryRunner.query(`
            ALTER TABLE "organisations"
            ADD CONSTRAINT "FK_9f4a7633822d18b869ac8e29c6e" FOREIGN KEY ("area_id") REFERENCES "areas"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "users"
            ADD CONSTRAINT "FK_2fc4294f8ec97da71d587dc5577" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "user_tokens"
            ADD CONSTRAINT "FK_9e144a67be49e5bba91195ef5de" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "workforce_baselines"
            ADD CONSTRAINT "FK_71b5bc2d588b908d93487e97ba6" FOREIGN KEY ("area_id") REFERENCES "areas"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "commissioner_areas"
            ADD CONSTRAINT "FK_ce03b465d8f7639f3250851dff8" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "commissioner_areas"
            ADD CONSTRAINT "FK_3f4e84f3029f6663749051102df" FOREIGN KEY ("area_id") REFERENCES "areas"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    // The audit trail is append-only: the database itself refuses to change or remove an event.
    await queryRunner.query(`
            CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'audit_events is append-only';
            END
            $$
        `);
    await queryRunner.query(`
            CREATE TRIGGER audit_events_append_only
            BEFORE UPDATE OR DELETE OR TRUNCATE ON "audit_events"
            FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER audit_events_append_only ON "audit_events"`);
    await queryRunner.query(`DROP FUNCTION audit_events_append_only()`);
    await queryRunner.query(`
            ALTER TABLE "commissioner_areas" DROP CONSTRAINT "FK_3f4e84f3029f6663749051102df"
        `);
    await queryRunner.query(`
            ALTER TABLE "commissioner_areas" DROP CONSTRAINT "FK_ce03b465d8f7639f3250851dff8"
        `);
    await queryRunner.query(`
            ALTER TABLE "workforce_baselines" DROP CONSTRAINT "FK_71b5bc2d588b908d93487e97ba6"
        `);
    await queryRunner.query(`
            ALTER TABLE "user_tokens" DROP CONSTRAINT "FK_9e144a67be49e5bba91195ef5de"
        `);
    await queryRunner.query(`
            ALTER TABLE "users" DROP CONSTRAINT "FK_2fc4294f8ec97da71d587dc5577"
        `);
    await queryRunner.query(`
            ALTER TABLE "organisations" DROP CONSTRAINT "FK_9f4a7633822d18b869ac8e29c6e"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_4e139cc590fd5127ecc451472e"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_1c57e65d74846167c21807d300"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_463cf6bce2b93c9b4968281c7a"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_0ff681fd8083500d69bd452816"
        `);
    await queryRunner.query(`
            DROP TABLE "audit_events"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_cf997ddb04078a6a388fdc42d7"
        `);
    await queryRunner.query(`
            DROP TABLE "email_messages"
        `);
    await queryRunner.query(`
            DROP TABLE "commissioner_areas"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_2bfab01cd4ad72e4325d983b95"
        `);
    await queryRunner.query(`
            DROP TABLE "workforce_baselines"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_9e144a67be49e5bba91195ef5d"
        `);
    await queryRunner.query(`
            DROP TABLE "user_tokens"
        `);
    await queryRunner.query(`
            DROP TABLE "users"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_ec927b3d1a550288853b8841ca"
        `);
    await queryRunner.query(`
            DROP TABLE "organisations"
        `);
    await queryRunner.query(`
            DROP TABLE "areas"
        `);
  }
}
