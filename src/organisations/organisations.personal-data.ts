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

/** The areas a commissioner reads coverage reports for. */
@Injectable()
export class OrganisationsPersonalData implements PersonalDataSource {
  readonly name = 'organisations';
  readonly recordTypes = [
    {
      name: 'commissioner-areas',
      description: 'The areas whose coverage reports you read as a commissioner',
    },
  ];

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async *export(subject: DataSubject): AsyncGenerator<PersonalDataItem> {
    yield* asRecords(
      'commissioner-areas',
      keysetPages<{ areaId: string }>((after, limit) =>
        this.dataSource.query(
          `SELECT a.id AS "areaId", a.code, a.name FROM commissioner_areas ca JOIN areas a ON a.id = ca.area_id
            WHERE ca.user_id = $1 AND ($2::uuid IS NULL OR a.id > $2) ORDER BY a.id LIMIT $3`,
          [subject.id, after?.areaId ?? null, limit],
        ),
      ),
    );
  }

  /** A commissioner's areas go: the erased account never signs in to read a report again. */
  async erase(subject: DataSubject, manager: EntityManager): Promise<ErasedRows> {
    return erasedRows({
      commissioner_areas: {
        deleted: await changedRows(manager, `DELETE FROM commissioner_areas WHERE user_id = $1`, [
          subject.id,
        ]),
      },
    });
  }
}
