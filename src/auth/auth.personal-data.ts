import { Injectable } from '@nestjs/common';
import { SignInThrottleService } from 'src/auth/sign-in-throttle.service';
import {
  asRecords,
  DataSubject,
  ErasedRows,
  erasedRows,
  PersonalDataItem,
  PersonalDataSource,
} from 'src/privacy/personal-data';

/**
 * What sign-in throttling holds about the account in Redis, under its e-mail address: failed sign-ins in the last
 * 15 minutes and a lock. Sessions are not here: erasure ends them all through `user.erased`.
 */
@Injectable()
export class AuthPersonalData implements PersonalDataSource {
  readonly name = 'auth';
  readonly recordTypes = [
    {
      name: 'sign-in-throttle',
      description:
        'Wrong passwords tried for your account in the last 15 minutes, and whether it is locked until when',
    },
  ];

  constructor(private readonly throttle: SignInThrottleService) {}

  async *export(subject: DataSubject): AsyncGenerator<PersonalDataItem> {
    const state = await this.throttle.accountState(subject.email);
    yield* asRecords('sign-in-throttle', state ? [state] : []);
  }

  /**
   * The keys go at once, not after they expire. Redis is not in the erasure's transaction: if the transaction then
   * fails, all that was lost is a lock on an account whose erasure was asked for.
   */
  async erase(subject: DataSubject): Promise<ErasedRows> {
    return erasedRows({
      redis_sign_in_throttle: { deleted: await this.throttle.forgetAccount(subject.email) },
    });
  }
}
