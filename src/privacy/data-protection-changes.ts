import type { EntityManager } from 'typeorm';

/**
 * Lets this transaction change or remove rows of the append-only tables (audit events, logbook revisions and
 * reviews, competency sign-offs), which refuse every other change (migration DataProtectionChanges). Only retention
 * and erasure call it, inside the transaction that does the change; the setting ends with that transaction.
 */
export async function allowDataProtectionChanges(manager: EntityManager): Promise<void> {
  if (!manager.queryRunner?.isTransactionActive)
    throw new Error('A data protection change must run inside a transaction');
  await manager.query(`SELECT set_config('fpm.data_protection_change', 'on', true)`);
}
