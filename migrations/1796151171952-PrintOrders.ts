import { MigrationInterface, QueryRunner } from 'typeorm';

export class PrintOrders1796151171952 implements MigrationInterface {
  name = 'PrintOrders1796151171952';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "print_orders" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "material_id" uuid NOT NULL,
                "edition_id" uuid NOT NULL,
                "cohort_id" uuid NOT NULL,
                "organisation_id" uuid NOT NULL,
                "copies" integer NOT NULL,
                "status" character varying(12) NOT NULL DEFAULT 'requested',
                "tracking_ref" character varying(100),
                "requested_by_id" uuid NOT NULL,
                "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "dispatched_by_id" uuid,
                "dispatched_at" TIMESTAMP WITH TIME ZONE,
                "received_by_id" uuid,
                "received_at" TIMESTAMP WITH TIME ZONE,
                "cancelled_by_id" uuid,
                "cancelled_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "CHK_855ef10862d2d5f591e80e8d98" CHECK (
                    "dispatched_at" IS NULL
                    OR "tracking_ref" IS NOT NULL
                ),
                CONSTRAINT "CHK_22914998fd174ffb36fc178561" CHECK (
                    "copies" BETWEEN 1 AND 500
                ),
                CONSTRAINT "PK_e25fa5b50bc17ad04abe354040d" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_1429d7568c4cc38eb919219070" ON "print_orders" ("cohort_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_1d3076d48b092da6c148241ee0" ON "print_orders" ("organisation_id", "status")
        `);
    await queryRunner.query(`
            CREATE TABLE "print_order_receipts" (
                "order_id" uuid NOT NULL,
                "trainee_id" uuid NOT NULL,
                "confirmed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_90a3874d823eac8a3bcebf2990a" PRIMARY KEY ("order_id", "trainee_id")
            )
        `);
    await queryRunner.query(`
            ALTER TABLE "print_orders"
            ADD CONSTRAINT "FK_96fdd77c57726bf8baa1a7636b4" FOREIGN KEY ("material_id") REFERENCES "materials"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "print_orders"
            ADD CONSTRAINT "FK_e4d615272b53f32cf0bc3cf2a63" FOREIGN KEY ("edition_id") REFERENCES "material_editions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "print_orders"
            ADD CONSTRAINT "FK_1429d7568c4cc38eb919219070e" FOREIGN KEY ("cohort_id") REFERENCES "cohorts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "print_orders"
            ADD CONSTRAINT "FK_c4ff05ed32d603caedd74e08c29" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "print_order_receipts"
            ADD CONSTRAINT "FK_c94e1e6b3055477c1ec12908fe3" FOREIGN KEY ("order_id") REFERENCES "print_orders"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "print_order_receipts" DROP CONSTRAINT "FK_c94e1e6b3055477c1ec12908fe3"
        `);
    await queryRunner.query(`
            ALTER TABLE "print_orders" DROP CONSTRAINT "FK_c4ff05ed32d603caedd74e08c29"
        `);
    await queryRunner.query(`
            ALTER TABLE "print_orders" DROP CONSTRAINT "FK_1429d7568c4cc38eb919219070e"
        `);
    await queryRunner.query(`
            ALTER TABLE "print_orders" DROP CONSTRAINT "FK_e4d615272b53f32cf0bc3cf2a63"
        `);
    await queryRunner.query(`
            ALTER TABLE "print_orders" DROP CONSTRAINT "FK_96fdd77c57726bf8baa1a7636b4"
        `);
    await queryRunner.query(`
            DROP TABLE "print_order_receipts"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_1d3076d48b092da6c148241ee0"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_1429d7568c4cc38eb919219070"
        `);
    await queryRunner.query(`
            DROP TABLE "print_orders"
        `);
  }
}
