import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sessions made with a cohort copied its venue, so changing the cohort's venue later moved none of them (and the
 * clash check could not see the change). A session now keeps a venue only when it differs from its cohort's.
 */
export class SessionsInheritCohortVenue1795515268081 implements MigrationInterface {
  name = 'SessionsInheritCohortVenue1795515268081';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            UPDATE "cohort_sessions" s SET "venue" = NULL
              FROM "cohorts" c
             WHERE c."id" = s."cohort_id" AND s."venue" = c."venue"
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            UPDATE "cohort_sessions" s SET "venue" = c."venue"
              FROM "cohorts" c
             WHERE c."id" = s."cohort_id" AND s."venue" IS NULL
        `);
  }
}
