import { MigrationInterface, QueryRunner } from 'typeorm';

/** E-mails can carry files kept under STORAGE_DIR: a certificate goes to its holder as a PDF attachment. */
export class MailAttachments1796136654683 implements MigrationInterface {
  name = 'MailAttachments1796136654683';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "email_messages"
            ADD "attachments" jsonb NOT NULL DEFAULT '[]'
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "email_messages" DROP COLUMN "attachments"
        `);
  }
}
