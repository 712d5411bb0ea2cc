import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  asRecords,
  changedRows,
  DataSubject,
  ErasedRows,
  erasedRows,
  keysetPages,
  PersonalDataItem,
  PersonalDataSource,
} from 'src/privacy/personal-data';
import { ERASED_NAME } from 'src/users/erased-account';

/** The materials issued to the person, each personalised copy they downloaded, and the print receipts they gave. */
@Injectable()
export class MaterialsPersonalData implements PersonalDataSource {
  readonly name = 'materials';
  readonly recordTypes = [
    { name: 'material-issues', description: 'Manuals and handbooks issued to you, and on what basis' },
    {
      name: 'material-copies',
      description: 'Each personalised copy you downloaded, with the words stamped on it',
    },
    { name: 'print-receipts', description: 'Printed copies you confirmed you received' },
  ];

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async *export(subject: DataSubject): AsyncGenerator<PersonalDataItem> {
    const page = <Row>(sql: string, key: (row: Row | undefined) => unknown) =>
      keysetPages<Row>((after, limit) => this.dataSource.query(sql, [subject.id, key(after) ?? null, limit]));
    const byId = (row: { id: string } | undefined) => row?.id;
    yield* asRecords(
      'material-issues',
      page(
        `SELECT i.id, m.title AS "material", ed.label AS "edition", c.title AS "cohort", i.basis,
                i.issued_at AS "issuedAt", i.withdrawn_at AS "withdrawnAt"
           FROM material_issues i JOIN materials m ON m.id = i.material_id
           JOIN material_editions ed ON ed.id = i.edition_id LEFT JOIN cohorts c ON c.id = i.cohort_id
          WHERE i.holder_id = $1 AND ($2::uuid IS NULL OR i.id > $2) ORDER BY i.id LIMIT $3`,
        byId,
      ),
    );
    yield* asRecords(
      'material-copies',
      page(
        `SELECT k.id, k.issue_id AS "issueId", m.title AS "material", ed.label AS "edition",
                k.copy_number AS "copyNumber", k.stamp, k.started_at AS "startedAt",
                k.completed_at AS "completedAt", k.sha256, k.size_bytes AS "sizeBytes"
           FROM material_copies k JOIN material_issues i ON i.id = k.issue_id
           JOIN materials m ON m.id = i.material_id JOIN material_editions ed ON ed.id = k.edition_id
          WHERE i.holder_id = $1 AND ($2::uuid IS NULL OR k.id > $2) ORDER BY k.id LIMIT $3`,
        byId,
      ),
    );
    yield* asRecords(
      'print-receipts',
      page<{ orderId: string }>(
        `SELECT r.order_id AS "orderId", m.title AS "material", c.title AS "cohort", r.confirmed_at AS "confirmedAt"
           FROM print_order_receipts r JOIN print_orders o ON o.id = r.order_id
           JOIN materials m ON m.id = o.material_id LEFT JOIN cohorts c ON c.id = o.cohort_id
          WHERE r.trainee_id = $1 AND ($2::uuid IS NULL OR r.order_id > $2) ORDER BY r.order_id LIMIT $3`,
        (row) => row?.orderId,
      ),
    );
  }

  /**
   * Issues, copies and receipts stay: the licence report counts them, and a copy's SHA-256 still traces a leaked
   * file to its issue. The name stamped on each copy the person downloaded is replaced by the erased account's.
   */
  async erase(subject: DataSubject, manager: EntityManager): Promise<ErasedRows> {
    return erasedRows({
      material_copies: {
        anonymised: await changedRows(
          manager,
          `UPDATE material_copies k SET stamp = regexp_replace(k.stamp, '^Licensed to .*? · ', $2)
             FROM material_issues i
            WHERE i.id = k.issue_id AND i.holder_id = $1 AND k.stamp NOT LIKE $3`,
          [subject.id, `Licensed to ${ERASED_NAME} · `, `Licensed to ${ERASED_NAME} · %`],
        ),
      },
    });
  }
}
