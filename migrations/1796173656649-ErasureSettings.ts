import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Erasure: each organisation says whether the certificates it issued keep their holder's name once the holder's
 * data is erased ('keep') or verify by course and date alone ('remove', the default: the least personal data).
 * Such a certificate's holder_name is then null. An erased account's status is 'erased' (users.status is a
 * varchar(10) without a check, so it needs no change).
 */
export class ErasureSettings1796173656649 implements MigrationInterface {
  name = 'ErasureSettings1796173656649';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "organisations" ADD "certificate_names_after_erasure" character varying(6) NOT NULL DEFAULT 'remove'`,
    );
    await queryRunner.query(
      `ALTER TABLE "organisations" ADD CONSTRAINT "CHK_organisations_certificate_names_after_erasure"
         CHECK ("certificate_names_after_erasure" IN ('keep', 'remove'))`,
    );
    await queryRunner.query(`ALTER TABLE "certificates" ALTER COLUMN "holder_name" DROP NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE "certificates" SET "holder_name" = '' WHERE "holder_name" IS NULL`);
    await queryRunner.query(`ALTER TABLE "certificates" ALTER COLUMN "holder_name" SET NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE "organisations" DROP CONSTRAINT "CHK_organisations_certificate_names_after_erasure"`,
    );
    await queryRunner.query(`ALTER TABLE "organisations" DROP COLUMN "certificate_names_after_erasure"`);
  }
}
