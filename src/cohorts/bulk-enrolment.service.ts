import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { Refusal, RefusalCode } from 'src/common/refusal';
import type { AuthUser } from 'src/common/request-context';
import { checkInput, FieldErrors, ValidationFailedException } from 'src/common/validation';
import { Cohort, PLACES_CHANGE_WHILE } from 'src/cohorts/cohort.entity';
import { CohortsService } from 'src/cohorts/cohorts.service';
import { BulkPersonDto } from 'src/cohorts/dto/cohort.dto';
import { ACTIVE_ENROLMENT_STATUSES, Enrolment } from 'src/cohorts/enrolment.entity';
import { assertStatusAllows, EnrolmentsService } from 'src/cohorts/enrolments.service';
import { PROFESSIONS, professionFrom } from 'src/users/profession';
import { UsersService } from 'src/users/users.service';
import type { UserView } from 'src/users/users.service';

/** What happens to one person of the list: a newcomer invited, someone already here, or a reason it cannot be. */
export type BulkOutcome = 'invite' | 'existing' | 'already_enrolled' | 'error';

export interface BulkRowResult {
  /** The person's place in the list, from 1. */
  row: number;
  email: string;
  name: string;
  outcome: BulkOutcome;
  /** For a person placed (or, in a dry run, to be placed): a place, or the waiting list. */
  place?: 'enrolled' | 'waitlisted';
  waitlistPosition?: number | null;
  userId?: string;
  enrolmentId?: string;
  code?: RefusalCode | 'VALIDATION_FAILED';
  reason?: string;
  errors?: FieldErrors;
}

export interface BulkEnrolmentResult {
  dryRun: boolean;
  rows: BulkRowResult[];
  summary: Record<BulkOutcome, number> & { enrolled: number; waitlisted: number };
}

interface CheckedRow {
  result: BulkRowResult;
  person?: BulkPersonDto & { profession: (typeof PROFESSIONS)[number] };
  existing?: UserView;
}

/**
 * A training lead's list of people for one cohort: each matched by e-mail to an account or invited, then enrolled
 * or wait-listed in list order. Every row is checked and carried out on its own, so a bad one never stops the rest.
 */
@Injectable()
export class BulkEnrolmentService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cohorts: CohortsService,
    private readonly enrolments: EnrolmentsService,
    private readonly users: UsersService,
  ) {}

  async enrol(
    actor: AuthUser,
    cohortId: string,
    people: Record<string, unknown>[],
    dryRun: boolean,
  ): Promise<BulkEnrolmentResult> {
    const cohort = await this.cohorts.assertCanManage(actor, cohortId);
    assertStatusAllows(cohort.status, PLACES_CHANGE_WHILE, 'enrolments');
    const rows = await this.check(cohortId, people);
    const newcomerUnmet = await this.enrolments.unmetPrerequisites(cohort, null);
    let placesLeft = dryRun ? await this.placesLeft(cohortId, cohort.capacity) : 0;
    let waiting = dryRun ? await this.waitingCount(cohortId) : 0;
    for (const row of rows) {
      if (row.result.outcome === 'error' || row.result.outcome === 'already_enrolled' || !row.person)
        continue;
      if (!row.existing && newcomerUnmet.length > 0) {
        fail(
          row.result,
          'PREREQUISITE_NOT_MET',
          `Prerequisite not met: ${newcomerUnmet.map((r) => r.detail).join('; ')}`,
        );
        continue;
      }
      if (dryRun) {
        if (row.existing) {
          const unmet = await this.enrolments.unmetPrerequisites(cohort, row.existing.id);
          if (unmet.length > 0) {
            fail(
              row.result,
              'PREREQUISITE_NOT_MET',
              `Prerequisite not met: ${unmet.map((r) => r.detail).join('; ')}`,
            );
            continue;
          }
        }
        if (placesLeft > 0) {
          placesLeft -= 1;
          Object.assign(row.result, { place: 'enrolled', waitlistPosition: null });
        } else Object.assign(row.result, { place: 'waitlisted', waitlistPosition: (waiting += 1) });
        continue;
      }
      await this.carryOut(actor, cohort, row);
    }
    const results = rows.map((row) => row.result);
    return { dryRun, rows: results, summary: summarise(results) };
  }

  /** Each row validated, matched by e-mail, and checked against the list itself and the cohort as it stands. */
  private async check(cohortId: string, people: Record<string, unknown>[]): Promise<CheckedRow[]> {
    const rows: CheckedRow[] = [];
    for (const [index, input] of people.entries()) {
      const result: BulkRowResult = {
        row: index + 1,
        email: typeof input.email === 'string' ? input.email.trim() : '',
        name: typeof input.name === 'string' ? input.name.trim() : '',
        outcome: 'invite',
      };
      const { value, errors } = await checkInput(BulkPersonDto, input, 'json');
      const profession = errors ? undefined : professionFrom(value.profession);
      if (errors) Object.assign(result, invalid(errors));
      else if (!profession)
        Object.assign(
          result,
          invalid({
            profession: [
              `${value.profession} is not a profession on the list: use one of ${PROFESSIONS.join(', ')}`,
            ],
          }),
        );
      else {
        result.email = value.email;
        rows.push({ result, person: { ...value, profession } });
        continue;
      }
      rows.push({ result });
    }
    const valid = rows.filter((row) => row.person);
    const existing = await this.users.findByEmails(valid.map((row) => row.person!.email));
    const holding = await this.holding(
      cohortId,
      [...existing.values()].map((user) => user.id),
    );
    const firstRow = new Map<string, number>();
    for (const row of valid) {
      const { email } = row.person!;
      const user = existing.get(email);
      const earlier = firstRow.get(email);
      if (earlier !== undefined) {
        fail(row.result, 'PERSON_LISTED_TWICE', `This person is listed already, in row ${earlier}`, 'email');
        continue;
      }
      firstRow.set(email, row.result.row);
      if (!user) continue;
      // The name stays as the list gives it: matching must not tell a lead the names of other organisations' staff.
      Object.assign(row.result, { outcome: 'existing', userId: user.id });
      row.existing = user;
      if (user.status === 'disabled')
        fail(
          row.result,
          'ACCOUNT_DISABLED',
          'This account is disabled: an administrator must enable it first',
        );
      else if (!user.roles.includes('trainee'))
        fail(
          row.result,
          'ROLE_MISSING',
          'This person has an account without the trainee role; give them the role first',
        );
      else if (holding.has(user.id)) row.result.outcome = 'already_enrolled';
    }
    return rows;
  }

  /** Invites a newcomer without a separate e-mail, then enrols: the one e-mail carries both the place and the link. */
  private async carryOut(actor: AuthUser, cohort: Cohort, row: CheckedRow): Promise<void> {
    const person = row.person!;
    let userId = row.existing?.id;
    try {
      if (!userId) {
        const { user } = await this.users.create(
          actor,
          {
            email: person.email,
            name: person.name,
            profession: person.profession,
            roles: ['trainee'],
            // Newcomers join the organisation that runs the cohort unless the list says otherwise.
            organisationId: person.organisationId ?? cohort.organisationId,
          },
          undefined,
          { inviteLater: true },
        );
        userId = user.id;
        row.result.userId = userId;
      }
      const enrolment = await this.enrolments.enrol(actor, cohort.id, userId);
      Object.assign(row.result, {
        enrolmentId: enrolment.id,
        place: enrolment.status === 'waitlisted' ? 'waitlisted' : 'enrolled',
        waitlistPosition: enrolment.waitlistPosition,
      });
    } catch (error) {
      if (error instanceof ValidationFailedException) Object.assign(row.result, invalid(error.errors));
      else if (error instanceof Refusal) fail(row.result, error.code, error.message, error.field);
      else throw error;
      // Someone invited whose place then failed still gets their invitation, so the account is not left silent.
      if (userId && !row.existing) await this.users.resendInvitation(actor, userId);
    }
  }

  private async holding(cohortId: string, traineeIds: string[]): Promise<Set<string>> {
    if (traineeIds.length === 0) return new Set();
    const rows = await this.dataSource.getRepository(Enrolment).find({
      where: { cohortId, traineeId: In(traineeIds), status: In(ACTIVE_ENROLMENT_STATUSES) },
      select: { traineeId: true },
    });
    return new Set(rows.map((row) => row.traineeId));
  }

  private async placesLeft(cohortId: string, capacity: number): Promise<number> {
    const taken = await this.dataSource
      .getRepository(Enrolment)
      .count({ where: { cohortId, status: In(['enrolled', 'completed']) } });
    return Math.max(capacity - taken, 0);
  }

  private waitingCount(cohortId: string): Promise<number> {
    return this.dataSource.getRepository(Enrolment).count({ where: { cohortId, status: 'waitlisted' } });
  }
}

function fail(result: BulkRowResult, code: BulkRowResult['code'], reason: string, field?: string): void {
  Object.assign(result, {
    outcome: 'error',
    code,
    reason,
    ...(field ? { errors: { [field]: [reason] } } : {}),
  });
}

function invalid(errors: FieldErrors): Partial<BulkRowResult> {
  return {
    outcome: 'error',
    code: 'VALIDATION_FAILED',
    reason: Object.values(errors)
      .map((messages) => messages[0])
      .join('; '),
    errors,
  };
}

function summarise(rows: BulkRowResult[]): BulkEnrolmentResult['summary'] {
  const count = (test: (row: BulkRowResult) => boolean) => rows.filter(test).length;
  return {
    invite: count((row) => row.outcome === 'invite'),
    existing: count((row) => row.outcome === 'existing'),
    already_enrolled: count((row) => row.outcome === 'already_enrolled'),
    error: count((row) => row.outcome === 'error'),
    enrolled: count((row) => row.place === 'enrolled'),
    waitlisted: count((row) => row.place === 'waitlisted'),
  };
}
