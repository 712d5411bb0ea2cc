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
import { ERASED_NAME, erasedEmail } from 'src/users/erased-account';

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

  /**
   * The account stays, without name, address, password or sign-in time, and can never sign in again; its roles,
   * organisation and profession stay, as the coverage reports count the person's training by them. Links sent for
   * it are deleted.
   */
  async erase(subject: DataSubject, manager: EntityManager): Promise<ErasedRows> {
    return erasedRows({
      user_tokens: {
        deleted: await changedRows(manager, `DELETE FROM user_tokens WHERE user_id = $1`, [subject.id]),
      },
      users: {
        anonymised: await changedRows(
          manager,
          `UPDATE users SET name = $2, email = $3, password_hash = NULL, status = 'erased',
                  last_signed_in_at = NULL, updated_at = now()
            WHERE id = $1`,
          [subject.id, ERASED_NAME, erasedEmail(subject.id)],
        ),
      },
    });
  }
}
