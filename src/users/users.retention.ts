import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { purgeDue, RetentionSource, sqlRetentionRule } from 'src/privacy/retention';

/** Single-use links (invitations, password resets): deleted a little after they were used or expired. */
@Injectable()
export class UsersRetention implements RetentionSource {
  readonly name = 'users';
  readonly recordTypes;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.recordTypes = [
      sqlRetentionRule(dataSource, {
        recordType: 'sign-in-links',
        description:
          'Invitation and password reset links sent by e-mail (only a fingerprint of each is stored)',
        clock: 'after the link was used, or expired unused',
        action: 'delete',
        defaultKeepMonths: 1,
        // A link is done with once used, or once it expired unused; a usable one expires after any cutoff.
        due: `FROM user_tokens WHERE coalesce(used_at, expires_at) < $1`,
        purge: purgeDue('user_tokens'),
      }),
    ];
  }
}
