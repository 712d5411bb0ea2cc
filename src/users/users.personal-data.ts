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

/** The account itself, and the sign-in links sent for it (never the password hash nor a link's secret). */
@Injectable()
export class UsersPersonalData implements PersonalDataSource {
  readonly name = 'users';
  readonly recordTypes = [
    {
      name: 'account',
      description: 'Your account: name, e-mail address, roles, organisation and profession',
    },
    { name: 'account-links', description: 'Invitation and password reset links sent for your account' },
  ];

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async *export(subject: DataSubject): AsyncGenerator<PersonalDataItem> {
    const accounts: object[] = await this.dataSource.query(
      `SELECT u.id, u.email, u.name, u.roles, o.name AS "organisation", u.profession, u.status,
              u.last_signed_in_at AS "lastSignedInAt", u.created_at AS "createdAt", u.updated_at AS "updatedAt"
         FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id
        WHERE u.id = $1`,
      [subject.id],
    );
    yield* asRecords('account', accounts.values());
    yield* asRecords(
      'account-links',
      keysetPages<{ id: string }>((after, limit) =>
        this.dataSource.query(
          `SELECT id, purpose, created_at AS "createdAt", expires_at AS "expiresAt", used_at AS "usedAt"
             FROM user_tokens WHERE user_id = $1 AND ($2::uuid IS NULL OR id > $2) ORDER BY id LIMIT $3`,
          [subject.id, after?.id ?? null, limit],
        ),
      ),
    );
  }
}
