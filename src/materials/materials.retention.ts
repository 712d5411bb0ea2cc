import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { purgeDue, RetentionSource, sqlRetentionRule } from 'src/privacy/retention';

/**
 * The ledger of personalised copies: after some years a copy no longer says whose it was (the name stamped on it,
 * and the SHA-256 that would trace the file), while it still counts in the licence report. Trainees' confirmations
 * that a printed copy reached them go at the same age: they only told the lead who was still waiting.
 */
@Injectable()
export class MaterialsRetention implements RetentionSource {
  readonly name = 'materials';
  readonly recordTypes;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.recordTypes = [
      sqlRetentionRule(dataSource, {
        recordType: 'material-downloads',
        description:
          'The ledger of personalised handbook and manual downloads: the name stamped on each copy and the file’s fingerprint',
        clock: 'after the download (the copy still counts in the licence report)',
        action: 'anonymise',
        defaultKeepMonths: 72,
        minimumKeepMonths: 12,
        // The stamp names the holder and the fingerprint leads a found file back to them; '' marks a copy done.
        due: `FROM material_copies WHERE started_at < $1 AND stamp <> ''`,
        purge: purgeDue('material_copies', `SET stamp = '', sha256 = NULL`),
      }),
      sqlRetentionRule(dataSource, {
        recordType: 'print-receipts',
        description: 'Trainees’ confirmations that a printed handbook or manual reached them',
        clock: 'after the trainee confirmed it',
        action: 'delete',
        defaultKeepMonths: 72,
        minimumKeepMonths: 12,
        due: `FROM print_order_receipts WHERE confirmed_at < $1`,
        purge: (due) =>
          `DELETE FROM print_order_receipts WHERE (order_id, trainee_id) IN (
             SELECT order_id, trainee_id ${due} LIMIT $2 FOR UPDATE SKIP LOCKED)`,
      }),
    ];
  }
}
