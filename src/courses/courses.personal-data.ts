import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  asRecords,
  DataSubject,
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
}
