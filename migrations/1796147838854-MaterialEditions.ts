import { MigrationInterface, QueryRunner } from 'typeorm';

export class MaterialEditions1796147838854 implements MigrationInterface {
  name = 'MaterialEditions1796147838854';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "material_editions" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "material_id" uuid NOT NULL,
                "label" character varying(100) NOT NULL,
                "notes" text NOT NULL,
                "sha256" character varying(64) NOT NULL,
                "size_bytes" integer NOT NULL,
                "page_count" integer NOT NULL,
                "current" boolean NOT NULL DEFAULT false,
                "uploaded_by_id" uuid NOT NULL,
                "uploaded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_1b843baddfeb59c7ffbe633068e" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_122efd6893a240624d72d0ab90" ON "material_editions" ("material_id", "label")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_material_editions_one_current" ON "material_editions" ("material_id")
            WHERE "current"
        `);
    await queryRunner.query(`
            ALTER TABLE "material_editions"
            ADD CONSTRAINT "FK_0a9c620afc709fbd53930f0a4bd" FOREIGN KEY ("material_id") REFERENCES "materials"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "material_editions" DROP CONSTRAINT "FK_0a9c620afc709fbd53930f0a4bd"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_material_editions_one_current"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_122efd6893a240624d72d0ab90"
        `);
    await queryRunner.query(`
            DROP TABLE "material_editions"
        `);
  }
}
