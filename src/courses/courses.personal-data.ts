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

/** The accreditations the person holds or held to facilitate (who recorded one is not given). */
@Injectable()
export class CoursesPersonalData implements PersonalDataSource {
  readonly name = 'courses';
  readonly recordTypes = [
    {
      name: 'accreditations',
      description: 'Your facilitator accreditations: course, granted, expiry, withdrawn',
    },
  ];

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async *export(subject: DataSubject): AsyncGenerator<PersonalDataItem> {
    yield* asRecords(
      'accreditations',
      keysetPages<{ id: string }>((after, limit) =>
        this.dataSource.query(
          `SELECT id, course_code AS "courseCode", granted_on AS "grantedOn", expires_on AS "expiresOn",
                  valid_years AS "validYears", withdrawn_on AS "withdrawnOn", certificate_id AS "certificateId",
                  created_at AS "recordedAt"
             FROM facilitator_accreditations
            WHERE user_id = $1 AND ($2::uuid IS NULL OR id > $2) ORDER BY id LIMIT $3`,
          [subject.id, after?.id ?? null, limit],
        ),
      ),
    );
  }

  /**
   * Accreditations and completions stay (dates and courses only: what a certificate stood for, and what coverage
   * and cohorts' facilitator rules count); the notes an admin wrote when renewing one are free text, and go.
   */
  async erase(subject: DataSubject, manager: EntityManager): Promise<ErasedRows> {
    return erasedRows({
      accreditation_renewals: {
        anonymised: await changedRows(
          manager,
          `UPDATE accreditation_renewals r SET note = '' FROM facilitator_accreditations a
            WHERE a.id = r.accreditation_id AND a.user_id = $1 AND r.note <> ''`,
          [subject.id],
        ),
      },
    });
  }
}
