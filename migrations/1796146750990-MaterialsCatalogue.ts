import { MigrationInterface, QueryRunner } from 'typeorm';

export class MaterialsCatalogue1796146750990 implements MigrationInterface {
  name = 'MaterialsCatalogue1796146750990';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "materials" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "code" character varying(40) NOT NULL,
                "title" character varying(200) NOT NULL,
                "kind" character varying(20) NOT NULL,
                "course_codes" character varying(20) array NOT NULL,
                "audience" character varying(20) array NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "UQ_5f59d61b51ffcb1db9942862215" UNIQUE ("code"),
                CONSTRAINT "PK_2fd1a93ecb222a28bef28663fa0" PRIMARY KEY ("id")
            )
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP TABLE "materials"
        `);
  }
}
