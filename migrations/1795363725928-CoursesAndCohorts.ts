import { MigrationInterface, QueryRunner } from 'typeorm';

export class CoursesAndCohorts1795363725928 implements MigrationInterface {
  name = 'CoursesAndCohorts1795363725928';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "facilitator_accreditations" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "user_id" uuid NOT NULL,
                "course_code" character varying(20) NOT NULL,
                "granted_on" date NOT NULL,
                "expires_on" date NOT NULL,
                "recorded_by" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_e825ea2b4d572ce38c44959ed17" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_adc50affcb550e833400849415" ON "facilitator_accreditations" ("user_id", "course_code")
        `);
    await queryRunner.query(`
            CREATE TABLE "course_versions" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "course_code" character varying(20) NOT NULL,
                "version" integer NOT NULL,
                "title" character varying(200) NOT NULL,
                "rules" jsonb NOT NULL,
                "is_current" boolean NOT NULL DEFAULT false,
                "created_by" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_cc9e77578136a62e599f33d15ff" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_22fdb93e1114f0d4f941b2c29f" ON "course_versions" ("course_code")
            WHERE "is_current"
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_c3a24e4f068b7f085f9f271601" ON "course_versions" ("course_code", "version")
        `);
    await queryRunner.query(`
            CREATE TABLE "course_completions" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "user_id" uuid NOT NULL,
                "course_code" character varying(20) NOT NULL,
                "completed_on" date NOT NULL,
                "enrolment_id" uuid,
                "recorded_by" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "UQ_4e1ac8c7d7a0b09ba0e876cab3b" UNIQUE ("enrolment_id"),
                CONSTRAINT "PK_15d7e524ef2739c4ac9b56d46af" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_be7e88f3ba4181bffd19d79171" ON "course_completions" ("user_id", "course_code")
        `);
    await queryRunner.query(`
            CREATE TABLE "cohorts" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "course_version_id" uuid NOT NULL,
                "title" character varying(200) NOT NULL,
                "organisation_id" uuid NOT NULL,
                "area_id" uuid NOT NULL,
                "capacity" integer NOT NULL,
                "delivery_mode" character varying(20) NOT NULL,
                "venue" character varying(300),
                "status" character varying(20) NOT NULL DEFAULT 'draft',
                "created_by" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_706ba51956fd3f9e20fe305641" CHECK ("capacity" > 0),
                CONSTRAINT "PK_fd38f76b135e907b834fda1e752" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_f5b0055cc50c567206211ce5bd" ON "cohorts" ("organisation_id", "status")
        `);
    await queryRunner.query(`
            CREATE TABLE "enrolments" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "cohort_id" uuid NOT NULL,
                "trainee_id" uuid NOT NULL,
                "status" character varying(20) NOT NULL,
                "waitlist_position" integer,
                "enrolled_at" TIMESTAMP WITH TIME ZONE,
                "withdrawn_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_6e79971fbd26967c4da9ed52770" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_8b1476ae98c4d9b980dbda27ca" ON "enrolments" ("trainee_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_3e3be107bc3fb1bbe8e5629a88" ON "enrolments" ("cohort_id", "status")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_6c0dbe52320100fe1b56fc53ac" ON "enrolments" ("cohort_id", "trainee_id")
            WHERE "status" IN (
                    'requested',
                    'enrolled',
                    'waitlisted',
                    'completed'
                )
        `);
    await queryRunner.query(`
            CREATE TABLE "cohort_sessions" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "cohort_id" uuid NOT NULL,
                "title" character varying(200) NOT NULL,
                "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "ends_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "venue" character varying(300),
                "status" character varying(20) NOT NULL DEFAULT 'scheduled',
                "sequence" integer NOT NULL DEFAULT '0',
                "reminder_sent_sequence" integer,
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_2a5481513eb7fe0eb28e95f63d" CHECK ("ends_at" > "starts_at"),
                CONSTRAINT "PK_a352e7d92bf23140d9e92ec69d6" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_6d65d6e9c5e9c6b636a97e2c0b" ON "cohort_sessions" ("starts_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_68b21e8b3382de49dcfda1615a" ON "cohort_sessions" ("cohort_id", "starts_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "cohort_facilitators" (
                "cohort_id" uuid NOT NULL,
                "user_id" uuid NOT NULL,
                "role" character varying(30) NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_20e5d35180f7cee0856e9e8b07d" PRIMARY KEY ("cohort_id", "user_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_1221e670eab065e677084490ad" ON "cohort_facilitators" ("user_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "calendar_feeds" (
                "user_id" uuid NOT NULL,
                "token" character varying(64) NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "UQ_63fc0fd22c929fae074fcaf6014" UNIQUE ("token"),
                CONSTRAINT "PK_3212ce9ff23847e66347a6730d3" PRIMARY KEY ("user_id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "attendance" (
                "session_id" uuid NOT NULL,
                "enrolment_id" uuid NOT NULL,
                "status" character varying(10) NOT NULL,
                "made_up" boolean NOT NULL DEFAULT false,
                "recorded_by" uuid NOT NULL,
                "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_b0250f0dce411bc759d523a9237" PRIMARY KEY ("session_id", "enrolment_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_619475bdf0b3bec25febcf4c25" ON "attendance" ("enrolment_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "facilitator_accreditations"
            ADD CONSTRAINT "FK_80ec321b4e2c4542a4ff416f7d2" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "course_completions"
            ADD CONSTRAINT "FK_c6f7f6ecb739bd1fe8b2e486266" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "cohorts"
            ADD CONSTRAINT "FK_55c45ce9492475c06b07250cf66" FOREIGN KEY ("course_version_id") REFERENCES "course_versions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "cohorts"
            ADD CONSTRAINT "FK_17311a575dd46cd8b6df1d73f4c" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "cohorts"
            ADD CONSTRAINT "FK_23f66a10d40a10e22e3dbefc551" FOREIGN KEY ("area_id") REFERENCES "areas"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "enrolments"
            ADD CONSTRAINT "FK_0e675e00a0c3497c936092fdbb6" FOREIGN KEY ("cohort_id") REFERENCES "cohorts"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "enrolments"
            ADD CONSTRAINT "FK_8b1476ae98c4d9b980dbda27ca4" FOREIGN KEY ("trainee_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "cohort_sessions"
            ADD CONSTRAINT "FK_276dd30cc3c6bc770f406b50336" FOREIGN KEY ("cohort_id") REFERENCES "cohorts"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "cohort_facilitators"
            ADD CONSTRAINT "FK_915d0acc7d23d857410790be9bc" FOREIGN KEY ("cohort_id") REFERENCES "cohorts"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "cohort_facilitators"
            ADD CONSTRAINT "FK_1221e670eab065e677084490ad9" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "calendar_feeds"
            ADD CONSTRAINT "FK_3212ce9ff23847e66347a6730d3" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "attendance"
            ADD CONSTRAINT "FK_5940f7beb6d791a618dbf88361e" FOREIGN KEY ("session_id") REFERENCES "cohort_sessions"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "attendance"
            ADD CONSTRAINT "FK_619475bdf0b3bec25febcf4c25e" FOREIGN KEY ("enrolment_id") REFERENCES "enrolments"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    // The three courses with DESIGN.md's default rules, as version 1 of each.
    await queryRunner.query(
      `INSERT INTO "course_versions" ("course_code", "version", "title", "rules", "is_current") VALUES ($1, 1, $2, $3, true)`,
      [
        'foundation',
        'Family Partnership Model Foundation course',
        JSON.stringify({
          sessions: 10,
          attendance: { minimumPercent: 90, lateCounts: true, excusedCountsWhenMadeUp: false },
          prerequisites: [],
          minAccreditedFacilitators: 2,
          logbook: {
            reflectionPerAttendedSession: true,
            practiceContacts: 6,
            supervisionReflections: 0,
            reflections: 0,
            observedCoFacilitation: false,
          },
          accreditationYears: null,
        }),
      ],
    );
    await queryRunner.query(
      `INSERT INTO "course_versions" ("course_code", "version", "title", "rules", "is_current") VALUES ($1, 1, $2, $3, true)`,
      [
        'supervision',
        'Family Partnership Model Supervision course',
        JSON.stringify({
          sessions: 4,
          attendance: { minimumPercent: 100, lateCounts: true, excusedCountsWhenMadeUp: true },
          prerequisites: ['foundation'],
          minAccreditedFacilitators: 0,
          logbook: {
            reflectionPerAttendedSession: false,
            practiceContacts: 0,
            supervisionReflections: 3,
            reflections: 0,
            observedCoFacilitation: false,
          },
          accreditationYears: null,
        }),
      ],
    );
    await queryRunner.query(
      `INSERT INTO "course_versions" ("course_code", "version", "title", "rules", "is_current") VALUES ($1, 1, $2, $3, true)`,
      [
        'facilitator',
        'Family Partnership Model Facilitator course',
        JSON.stringify({
          sessions: 5,
          attendance: { minimumPercent: 100, lateCounts: true, excusedCountsWhenMadeUp: false },
          prerequisites: ['foundation'],
          minAccreditedFacilitators: 0,
          logbook: {
            reflectionPerAttendedSession: false,
            practiceContacts: 0,
            supervisionReflections: 0,
            reflections: 3,
            observedCoFacilitation: true,
          },
          accreditationYears: 3,
        }),
      ],
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "attendance" DROP CONSTRAINT "FK_619475bdf0b3bec25febcf4c25e"
        `);
    await queryRunner.query(`
            ALTER TABLE "attendance" DROP CONSTRAINT "FK_5940f7beb6d791a618dbf88361e"
        `);
    await queryRunner.query(`
            ALTER TABLE "calendar_feeds" DROP CONSTRAINT "FK_3212ce9ff23847e66347a6730d3"
        `);
    await queryRunner.query(`
            ALTER TABLE "cohort_facilitators" DROP CONSTRAINT "FK_1221e670eab065e677084490ad9"
        `);
    await queryRunner.query(`
            ALTER TABLE "cohort_facilitators" DROP CONSTRAINT "FK_915d0acc7d23d857410790be9bc"
        `);
    await queryRunner.query(`
            ALTER TABLE "cohort_sessions" DROP CONSTRAINT "FK_276dd30cc3c6bc770f406b50336"
        `);
    await queryRunner.query(`
            ALTER TABLE "enrolments" DROP CONSTRAINT "FK_8b1476ae98c4d9b980dbda27ca4"
        `);
    await queryRunner.query(`
            ALTER TABLE "enrolments" DROP CONSTRAINT "FK_0e675e00a0c3497c936092fdbb6"
        `);
    await queryRunner.query(`
            ALTER TABLE "cohorts" DROP CONSTRAINT "FK_23f66a10d40a10e22e3dbefc551"
        `);
    await queryRunner.query(`
            ALTER TABLE "cohorts" DROP CONSTRAINT "FK_17311a575dd46cd8b6df1d73f4c"
        `);
    await queryRunner.query(`
            ALTER TABLE "cohorts" DROP CONSTRAINT "FK_55c45ce9492475c06b07250cf66"
        `);
    await queryRunner.query(`
            ALTER TABLE "course_completions" DROP CONSTRAINT "FK_c6f7f6ecb739bd1fe8b2e486266"
        `);
    await queryRunner.query(`
            ALTER TABLE "facilitator_accreditations" DROP CONSTRAINT "FK_80ec321b4e2c4542a4ff416f7d2"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_619475bdf0b3bec25febcf4c25"
        `);
    await queryRunner.query(`
            DROP TABLE "attendance"
        `);
    await queryRunner.query(`
            DROP TABLE "calendar_feeds"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_1221e670eab065e677084490ad"
        `);
    await queryRunner.query(`
            DROP TABLE "cohort_facilitators"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_68b21e8b3382de49dcfda1615a"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_6d65d6e9c5e9c6b636a97e2c0b"
        `);
    await queryRunner.query(`
            DROP TABLE "cohort_sessions"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_6c0dbe52320100fe1b56fc53ac"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_3e3be107bc3fb1bbe8e5629a88"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_8b1476ae98c4d9b980dbda27ca"
        `);
    await queryRunner.query(`
            DROP TABLE "enrolments"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_f5b0055cc50c567206211ce5bd"
        `);
    await queryRunner.query(`
            DROP TABLE "cohorts"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_be7e88f3ba4181bffd19d79171"
        `);
    await queryRunner.query(`
            DROP TABLE "course_completions"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_c3a24e4f068b7f085f9f271601"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_22fdb93e1114f0d4f941b2c29f"
        `);
    await queryRunner.query(`
            DROP TABLE "course_versions"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_adc50affcb550e833400849415"
        `);
    await queryRunner.query(`
            DROP TABLE "facilitator_accreditations"
        `);
  }
}
