import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import { AuditService } from 'src/audit/audit.service';
import { londonToday } from 'src/common/london-date';
import { forbidden, notFound, refuse } from 'src/common/refusal';
import { AuthUser, hasRole } from 'src/common/request-context';
import { AccreditationRenewal } from 'src/courses/accreditation-renewal.entity';
import { CompletionPolicyRegistry } from 'src/courses/completion-policy.registry';
import { CourseCompletion } from 'src/courses/course-completion.entity';
import type { CourseCode } from 'src/courses/course-code';
import { CourseVersion } from 'src/courses/course-version.entity';
import type {
  RecordAccreditationDto,
  RecordCompletionDto,
  RenewAccreditationDto,
} from 'src/courses/dto/course.dto';
import { FacilitatorAccreditation } from 'src/courses/facilitator-accreditation.entity';
import type { DomainEvents, EventContext } from 'src/events/domain-events';
import { EventsService } from 'src/events/events.service';

/** The notices before an accreditation expires, in days, latest first. */
export const ACCREDITATION_NOTICES = [90, 30] as const;

/** Accreditations ending within this many days are listed for leads as near expiry. */
export const NEAR_EXPIRY_DAYS = 90;

export interface AccreditationView {
  id: string;
  userId: string;
  holderName: string;
  organisationName: string | null;
  courseCode: CourseCode;
  grantedOn: string;
  expiresOn: string;
  /** From the day it was granted or renewed. */
  validYears: number;
  certificateId: string | null;
  withdrawnOn: string | null;
  status: 'current' | 'expiring' | 'expired' | 'withdrawn';
  daysLeft: number;
  renewals: Array<Pick<AccreditationRenewal, 'renewedOn' | 'previousExpiresOn' | 'expiresOn' | 'note'>>;
}

const addYears = (date: string, years: number) =>
  DateTime.fromISO(date).plus({ years }).toISODate() as string;

const daysBetween = (from: string, to: string) =>
  Math.round(DateTime.fromISO(to).diff(DateTime.fromISO(from), 'days').days);

/**
 * What people hold: the courses they completed (for prerequisites) and their accreditations to deliver a course.
 * Both come from certificates (told by the certificates feature's events) or, for people trained before the
 * platform, from an administrator's record.
 */
@Injectable()
export class QualificationsService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly policies: CompletionPolicyRegistry,
    private readonly events: EventsService,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.events.on('certificate.awarded', 'courses.qualification-awarded', (payload, context) =>
      this.awarded(payload, context),
    );
    this.events.on('certificate.revoked', 'courses.qualification-withdrawn', (payload, context) =>
      this.withdrawn(payload, context),
    );
  }

  /**
   * The holder completed the course from `awardedOn`; a course whose version sets accreditation years also
   * accredits them to deliver what its policy names. A re-issue takes over the standing of the certificate it
   * supersedes, renewals and all, rather than starting a new accreditation.
   */
  private async awarded(
    award: DomainEvents['certificate.awarded'],
    { manager }: EventContext,
  ): Promise<void> {
    if (award.supersedesId) {
      for (const table of ['course_completions', 'facilitator_accreditations'])
        await manager.query(`UPDATE ${table} SET certificate_id = $1 WHERE certificate_id = $2`, [
          award.certificateId,
          award.supersedesId,
        ]);
    }
    // A completion recorded when its cohort completed, before certificates, is now the certificate's.
    await manager.query(
      `UPDATE course_completions SET certificate_id = $1 WHERE enrolment_id = $2 AND certificate_id IS NULL`,
      [award.certificateId, award.enrolmentId],
    );
    await manager.query(
      `INSERT INTO course_completions (user_id, course_code, completed_on, enrolment_id, certificate_id)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (certificate_id) DO NOTHING`,
      [award.holderId, award.courseCode, award.awardedOn, award.enrolmentId, award.certificateId],
    );
    const accredits = this.policies.for(award.courseCode).accredits;
    const { rules } = await manager.findOneByOrFail(CourseVersion, { id: award.courseVersionId });
    // Revoked before this arrived (events can overtake each other): nothing to grant.
    const [{ withdrawn }]: Array<{ withdrawn: boolean }> = await manager.query(
      `SELECT withdrawn_on IS NOT NULL AS withdrawn FROM course_completions WHERE certificate_id = $1`,
      [award.certificateId],
    );
    if (!accredits || rules.accreditationYears === null || withdrawn) return;
    const granted: Array<{ id: string; expires_on: string }> = await manager.query(
      `INSERT INTO facilitator_accreditations (user_id, course_code, granted_on, expires_on, valid_years, certificate_id)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (certificate_id) DO NOTHING RETURNING id, expires_on::text`,
      [
        award.holderId,
        accredits,
        award.awardedOn,
        addYears(award.awardedOn, rules.accreditationYears),
        rules.accreditationYears,
        award.certificateId,
      ],
    );
    if (granted.length > 0)
      await this.audit.record(
        {
          actorId: null,
          action: 'accreditation.granted',
          subjectType: 'user',
          subjectId: award.holderId,
          details: {
            accreditationId: granted[0].id,
            courseCode: accredits,
            certificateId: award.certificateId,
            expiresOn: granted[0].expires_on,
          },
        },
        manager,
      );
  }

  /** What a revoked certificate proved no longer counts: its completion and any accreditation it granted. */
  private async withdrawn(
    revocation: DomainEvents['certificate.revoked'],
    { manager }: EventContext,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO course_completions (user_id, course_code, completed_on, enrolment_id, certificate_id, withdrawn_on)
       VALUES ($1, $2, $3, $4, $5, $3)
       ON CONFLICT (certificate_id) DO UPDATE SET withdrawn_on = EXCLUDED.withdrawn_on`,
      [
        revocation.holderId,
        revocation.courseCode,
        revocation.revokedOn,
        revocation.enrolmentId,
        revocation.certificateId,
      ],
    );
    const ended: Array<{ id: string }> = await manager.query(
      `UPDATE facilitator_accreditations SET withdrawn_on = $2
        WHERE certificate_id = $1 AND withdrawn_on IS NULL RETURNING id`,
      [revocation.certificateId, revocation.revokedOn],
    );
    for (const { id } of ended)
      await this.audit.record(
        {
          actorId: null,
          action: 'accreditation.withdrawn',
          subjectType: 'user',
          subjectId: revocation.holderId,
          details: { accreditationId: id, certificateId: revocation.certificateId },
        },
        manager,
      );
  }

  async recordAccreditation(
    actor: AuthUser,
    userId: string,
    dto: RecordAccreditationDto,
  ): Promise<FacilitatorAccreditation> {
    assertRecordsHistory(actor);
    return this.dataSource.transaction(async (manager) => {
      const accreditation = await manager.save(
        manager.create(FacilitatorAccreditation, {
          userId,
          ...dto,
          validYears: Math.max(1, Math.round(daysBetween(dto.grantedOn, dto.expiresOn) / 365)),
          recordedBy: actor.id,
        }),
      );
      await this.audit.record(
        {
          actorId: actor.id,
          action: 'accreditation.recorded',
          subjectType: 'user',
          subjectId: userId,
          details: { ...dto },
        },
        manager,
      );
      return accreditation;
    });
  }

  /**
   * Renewal, recorded by a lead of the holder's organisation or an admin: the accreditation runs its years again
   * from the day of renewal. The expiry it replaces is kept.
   */
  async renew(
    actor: AuthUser,
    accreditationId: string,
    dto: RenewAccreditationDto,
  ): Promise<AccreditationView> {
    await this.assertMayRenew(actor, accreditationId);
    await this.dataSource.transaction(async (manager) => {
      const accreditation = await manager.findOneOrFail(FacilitatorAccreditation, {
        where: { id: accreditationId },
        lock: { mode: 'pessimistic_write' },
      });
      if (accreditation.withdrawnOn)
        throw refuse(
          'ACCREDITATION_WITHDRAWN',
          `This accreditation was withdrawn on ${accreditation.withdrawnOn} with the certificate that granted it; it cannot be renewed`,
        );
      if (dto.renewedOn < accreditation.grantedOn)
        throw refuse(
          'RENEWAL_BEFORE_GRANT',
          'The renewal date must be on or after the date the accreditation was granted',
          {
            field: 'renewedOn',
          },
        );
      const expiresOn = addYears(dto.renewedOn, accreditation.validYears);
      if (expiresOn <= accreditation.expiresOn)
        throw refuse(
          'RENEWAL_NOT_LATER',
          `Renewed on ${dto.renewedOn}, it would expire on ${expiresOn}, which is not after its current expiry (${accreditation.expiresOn})`,
          { field: 'renewedOn' },
        );
      await manager.insert(AccreditationRenewal, {
        accreditationId,
        renewedOn: dto.renewedOn,
        previousExpiresOn: accreditation.expiresOn,
        expiresOn,
        note: dto.note,
        recordedBy: actor.id,
      });
      await manager.update(FacilitatorAccreditation, { id: accreditationId }, { expiresOn });
      await this.audit.record(
        {
          actorId: actor.id,
          action: 'accreditation.renewed',
          subjectType: 'user',
          subjectId: accreditation.userId,
          details: {
            accreditationId,
            renewedOn: dto.renewedOn,
            previousExpiresOn: accreditation.expiresOn,
            expiresOn,
            note: dto.note,
          },
        },
        manager,
      );
    });
    const [view] = await this.views({ ids: [accreditationId] });
    return view;
  }

  async accreditations(userId: string): Promise<AccreditationView[]> {
    return this.views({ userIds: [userId] });
  }

  /** The accreditation a certificate granted, if it granted one: its expiry is the certificate's. */
  async grantedBy(certificateId: string): Promise<AccreditationView | null> {
    const [view] = await this.views({ certificateIds: [certificateId] });
    return view ?? null;
  }

  /**
   * Accreditations that expire within `withinDays` days or expired no longer ago than that, soonest first: every
   * one for an admin, those of the lead's organisation for a lead.
   */
  async nearExpiry(actor: AuthUser, withinDays = NEAR_EXPIRY_DAYS): Promise<AccreditationView[]> {
    if (!hasRole(actor, 'admin') && !(hasRole(actor, 'training_lead') && actor.organisationId))
      throw forbidden('Only training leads and admins see accreditations near expiry');
    return this.views({
      organisationId: hasRole(actor, 'admin') ? undefined : (actor.organisationId as string),
      expiringWithinDays: withinDays,
    });
  }

  /** Of these people, those accredited to deliver the course today. */
  async currentlyAccredited(
    userIds: string[],
    courseCode: CourseCode,
    on = londonToday(),
  ): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const rows: Array<{ user_id: string }> = await this.dataSource.query(
      `SELECT DISTINCT user_id FROM facilitator_accreditations
        WHERE user_id = ANY($1) AND course_code = $2 AND withdrawn_on IS NULL AND granted_on <= $3 AND expires_on >= $3`,
      [userIds, courseCode, on],
    );
    return new Set(rows.map((row) => row.user_id));
  }

  /**
   * Tells each holder 90 and then 30 days before their accreditation expires, once each per expiry: a renewal
   * moves the expiry, so the next one is told again. A notice missed (the worker was down) goes on the next run,
   * unless the later notice is already due.
   */
  async remindExpiring(on = londonToday()): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      let told = 0;
      for (const [index, daysBefore] of ACCREDITATION_NOTICES.entries()) {
        const later = ACCREDITATION_NOTICES[index + 1] ?? -1;
        const due: Array<{ id: string; user_id: string; course_code: CourseCode; expires_on: string }> =
          await manager.query(
            `WITH due AS (
               SELECT id, user_id, course_code, expires_on FROM facilitator_accreditations
                WHERE withdrawn_on IS NULL AND expires_on - $1::date <= $2 AND expires_on - $1::date > $3
             ), claimed AS (
               INSERT INTO accreditation_reminders (accreditation_id, expires_on, days_before)
               SELECT id, expires_on, $2 FROM due ON CONFLICT DO NOTHING RETURNING accreditation_id
             )
             SELECT due.id, due.user_id, due.course_code, due.expires_on::text
               FROM due JOIN claimed ON claimed.accreditation_id = due.id`,
            [on, daysBefore, later],
          );
        for (const row of due)
          await this.events.publish(manager, 'accreditation.expiring', {
            accreditationId: row.id,
            userId: row.user_id,
            courseCode: row.course_code,
            expiresOn: row.expires_on,
            daysBefore,
          });
        told += due.length;
      }
      return told;
    });
  }

  async recordCompletion(
    actor: AuthUser,
    userId: string,
    dto: RecordCompletionDto,
  ): Promise<CourseCompletion> {
    assertRecordsHistory(actor);
    return this.dataSource.transaction(async (manager) => {
      const completion = await manager.save(
        manager.create(CourseCompletion, { userId, ...dto, recordedBy: actor.id }),
      );
      await this.audit.record(
        {
          actorId: actor.id,
          action: 'completion.recorded',
          subjectType: 'user',
          subjectId: userId,
          details: { ...dto },
        },
        manager,
      );
      return completion;
    });
  }

  /** The courses each person holds (a valid certificate, or a completion recorded before), in one query for the lot. */
  async completedCourses(
    userIds: string[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Map<string, Set<CourseCode>>> {
    const map = new Map<string, Set<CourseCode>>(userIds.map((id) => [id, new Set<CourseCode>()]));
    if (userIds.length === 0) return map;
    const rows = await manager.find(CourseCompletion, {
      where: { userId: In(userIds), withdrawnOn: IsNull() },
      select: { userId: true, courseCode: true },
    });
    for (const row of rows) map.get(row.userId)?.add(row.courseCode);
    return map;
  }

  async completions(userId: string): Promise<CourseCompletion[]> {
    return this.dataSource
      .getRepository(CourseCompletion)
      .find({ where: { userId }, order: { completedOn: 'DESC' } });
  }

  /** Hides the accreditation from anyone who may not renew it: admins, and leads of its holder's organisation. */
  async assertMayRenew(actor: AuthUser, accreditationId: string): Promise<void> {
    const existing = await this.dataSource.getRepository(FacilitatorAccreditation).findOne({
      where: { id: accreditationId },
      relations: { user: true },
    });
    if (!existing || !this.mayManage(actor, existing.user?.organisationId ?? null))
      throw notFound('The accreditation');
  }

  private mayManage(actor: AuthUser, organisationId: string | null): boolean {
    return (
      hasRole(actor, 'admin') ||
      (hasRole(actor, 'training_lead') && organisationId !== null && organisationId === actor.organisationId)
    );
  }

  private async views(filter: {
    ids?: string[];
    userIds?: string[];
    certificateIds?: string[];
    organisationId?: string;
    expiringWithinDays?: number;
  }): Promise<AccreditationView[]> {
    const conditions: string[] = [];
    const params: unknown[] = [londonToday()];
    const where = (sql: string, value: unknown) => {
      params.push(value);
      conditions.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.ids) where('a.id = ANY(?)', filter.ids);
    if (filter.userIds) where('a.user_id = ANY(?)', filter.userIds);
    if (filter.certificateIds) where('a.certificate_id = ANY(?)', filter.certificateIds);
    if (filter.organisationId) where('u.organisation_id = ?', filter.organisationId);
    if (filter.expiringWithinDays !== undefined) {
      where('abs(a.expires_on - $1::date) <= ?', filter.expiringWithinDays);
      conditions.push('a.withdrawn_on IS NULL');
    }
    const rows: Array<Omit<AccreditationView, 'status' | 'renewals'>> = await this.dataSource.query(
      `SELECT a.id, a.user_id AS "userId", u.name AS "holderName", o.name AS "organisationName",
              a.course_code AS "courseCode", a.granted_on::text AS "grantedOn", a.expires_on::text AS "expiresOn",
              a.valid_years AS "validYears", a.certificate_id AS "certificateId", a.withdrawn_on::text AS "withdrawnOn",
              a.expires_on - $1::date AS "daysLeft"
         FROM facilitator_accreditations a
         JOIN users u ON u.id = a.user_id
         LEFT JOIN organisations o ON o.id = u.organisation_id
        WHERE ${conditions.length ? conditions.join(' AND ') : 'true'}
        ORDER BY a.expires_on, u.name`,
      params,
    );
    const renewals = await this.dataSource.getRepository(AccreditationRenewal).find({
      where: { accreditationId: In(rows.map((row) => row.id)) },
      order: { renewedOn: 'ASC' },
    });
    return rows.map((row) => {
      return {
        ...row,
        status: row.withdrawnOn
          ? 'withdrawn'
          : row.daysLeft < 0
            ? 'expired'
            : row.daysLeft <= NEAR_EXPIRY_DAYS
              ? 'expiring'
              : 'current',
        renewals: renewals
          .filter((renewal) => renewal.accreditationId === row.id)
          .map(({ renewedOn, previousExpiresOn, expiresOn, note }) => ({
            renewedOn,
            previousExpiresOn,
            expiresOn,
            note,
          })),
      };
    });
  }
}

/** What someone held before the platform is taken on an administrator's word only, never a lead's about themselves. */
function assertRecordsHistory(actor: AuthUser): void {
  if (!hasRole(actor, 'admin')) {
    throw forbidden(
      'Accreditations and completions held before the platform are recorded by an administrator',
    );
  }
}
