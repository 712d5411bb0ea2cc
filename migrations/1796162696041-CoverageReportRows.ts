import { MigrationInterface, QueryRunner } from 'typeorm';

export class CoverageReportRows1796162696041 implements MigrationInterface {
  name = 'CoverageReportRows1796162696041';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "coverage_report_rows" (
                "id" BIGSERIAL NOT NULL,
                "position" integer NOT NULL,
                "level" character varying(10) NOT NULL,
                "area_id" uuid,
                "region" character varying(100),
                "course_code" character varying(20) NOT NULL,
                "profession" character varying(40),
                "json_whole" text NOT NULL,
                "json_head" text NOT NULL,
                "json_trend" text array NOT NULL,
                "json_tail" text NOT NULL,
                "json_breakdown" text,
                "csv_whole" text NOT NULL,
                "csv_head" text NOT NULL,
                "csv_trend" text array NOT NULL,
                "csv_tail" text NOT NULL,
                "csv_breakdown" text,
                CONSTRAINT "PK_13087d2cfa76bedce195ba265ef" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_47dbef4ec1ac1162327214796c" ON "coverage_report_rows" ("level", "region")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_ea91a52d32d883f468fda1e02b" ON "coverage_report_rows" ("level", "area_id")
        `);
    // The summary is made from the base tables: emptied here, the worker makes it again when it starts.
    await queryRunner.query(`DELETE FROM "coverage_cells"`);
    await queryRunner.query(`DELETE FROM "coverage_refreshes"`);
    await queryRunner.query(`
            ALTER TABLE "coverage_refreshes"
            ADD "quarter_ends" date array NOT NULL
        `);
    await queryRunner.query(`
            ALTER TABLE "coverage_refreshes"
            ADD "quarter_starts" date array NOT NULL
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "coverage_refreshes" DROP COLUMN "quarter_starts"
        `);
    await queryRunner.query(`
            ALTER TABLE "coverage_refreshes" DROP COLUMN "quarter_ends"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_ea91a52d32d883f468fda1e02b"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_47dbef4ec1ac1162327214796c"
        `);
    await queryRunner.query(`
            DROP TABLE "coverage_report_rows"
        `);
  }
}
