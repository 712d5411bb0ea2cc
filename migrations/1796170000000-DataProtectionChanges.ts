import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The append-only tables (audit events, logbook revisions and reviews, competency sign-offs) still refuse every
 * change, except inside a transaction that has declared itself a data protection change (retention or erasure,
 * src/privacy/data-protection-changes.ts). TRUNCATE stays refused always.
 */
const GUARDS = [
  ['audit_events_append_only', `'audit_events is append-only'`],
  ['logbook_records_append_only', `'% is append-only', TG_TABLE_NAME`],
  ['competency_sign_offs_append_only', `'competency_sign_offs is append-only'`],
] as const;

export class DataProtectionChanges1796170000000 implements MigrationInterface {
  name = 'DataProtectionChanges1796170000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const [guard, message] of GUARDS)
      await queryRunner.query(`
            CREATE OR REPLACE FUNCTION ${guard}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP <> 'TRUNCATE' AND current_setting('fpm.data_protection_change', true) = 'on' THEN
                    RETURN NULL;
                END IF;
                RAISE EXCEPTION ${message};
            END
            $$
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const [guard, message] of GUARDS)
      await queryRunner.query(`
            CREATE OR REPLACE FUNCTION ${guard}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION ${message};
            END
            $$
        `);
  }
}
