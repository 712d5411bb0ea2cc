import { MigrationInterface, QueryRunner } from 'typeorm';

export class CoverageSummary1796157899616 implements MigrationInterface {
  name = 'CoverageSummary1796157899616';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "coverage_refreshes" (
                "id" BIGSERIAL NOT NULL,
                "started_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "finished_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "duration_ms" integer NOT NULL,
                "cells" integer NOT NULL,
                "threshold" integer NOT NULL,
                CONSTRAINT "PK_e52e2b27c5db3d0bfc603f9229d" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "coverage_cells" (
                "id" BIGSERIAL NOT NULL,
                "measure" character varying(20) NOT NULL,
                "course_code" character varying(20),
                "level" character varying(10) NOT NULL,
                "area_id" uuid,
                "region" character varying(100),
                "profession" character varying(40),
                "on_date" date,
                "value" integer NOT NULL,
                "suppression" character varying(10),
                CONSTRAINT "PK_4447c84a90a66a87f68b12ebbae" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_bb3c92624af87185f9ebeab20a" ON "coverage_cells" ("level", "region")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_ac1bd2697d310cf342e50d5731" ON "coverage_cells" ("level", "area_id")
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."IDX_ac1bd2697d310cf342e50d5731"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_bb3c92624af87185f9ebeab20a"
        `);
    await queryRunner.query(`
            DROP TABLE "coverage_cells"
        `);
    await queryRunner.query(`
            DROP TABLE "coverage_refreshes"
        `);
  }
}
