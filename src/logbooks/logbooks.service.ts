import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { AuditService } from 'src/audit/audit.service';
import { forbidden, notFound, refuse } from 'src/common/refusal';
import { AuthUser, hasRole } from 'src/common/request-context';
import { providedFields, ValidationFailedException } from 'src/common/validation';
import { AttendanceService } from 'src/cohorts/attendance.service';
import { CohortsService } from 'src/cohorts/cohorts.service';
import { EnrolmentsService } from 'src/cohorts/enrolments.service';
import type { CourseCode } from 'src/courses/course-code';
import { EventsService } from 'src/events/events.service';
import { CreateEntryDto, ReviewEntryDto, SubmitEntryDto, UpdateEntryDto } from 'src/logbooks/dto/entry.dto';
import { ENTRY_KIND_RULES, EntryKind, PROMPT_FIELDS } from 'src/logbooks/entry-kinds';
import { LOGBOOK_EVENTS } from 'src/logbooks/logbook.events';
import { entryContent } from 'src/logbooks/logbook.view';
import { LogbookEntry } from 'src/logbooks/logbook-entry.entity';
import { LogbookReview } from 'src/logbooks/logbook-review.entity';
import { LogbookRevision } from 'src/logbooks/logbook-revision.entity';
import { isRefusal, screenFields } from 'src/logbooks/screener';

/** Who is looking at a logbook, and what they may do with it. */
export interface LogbookAccess {
  enrolmentId: string;
  cohortId: string;
  traineeId: string;
  courseCode: CourseCode;
  own: boolean;
  /** A facilitator of the cohort, a lead of its host organisation or an admin: may read and review. */
  reviews: boolean;
}

const EDITABLE: LogbookEntry['status'][] = ['draft', 'returned'];

/**
 * A trainee's reflective logbook: one per enrolment. Private to its trainee and to the cohort's facilitators, its
 * host organisation's training leads and admins; every read by anyone else is recorded and shown to the trainee.
 */
@Injectable()
export class LogbooksService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly enrolments: EnrolmentsService,
    private readonly cohorts: CohortsService,
    private readonly attendance: AttendanceService,
    private readonly events: EventsService,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.events.declare('logbooks', LOGBOOK_EVENTS);
  }

  /** Refuses anyone but the trainee and those who review the cohort; a commissioner never reads a logbook. */
  async access(actor: AuthUser, enrolmentId: string): Promise<LogbookAccess> {
    const enrolment = await this.enrolments.find(enrolmentId);
    const own = enrolment.traineeId === actor.id;
    let reviews = false;
    if (!own) {
      const { access } = await this.cohorts.access(actor, enrolment.cohortId);
      reviews = access.manage || access.facilitate;
      if (!reviews) throw forbidden('This logbook is not yours to read');
    }
    const cohort = await this.cohorts.findCohort(enrolment.cohortId);
    return {
      enrolmentId,
      cohortId: enrolment.cohortId,
      traineeId: enrolment.traineeId,
      courseCode: cohort.courseVersion!.courseCode,
      own,
      reviews,
    };
  }

  /** The logbook's entries, newest first; a read by anyone but its trainee is recorded. */
  async logbook(actor: AuthUser, enrolmentId: string) {
    const access = await this.access(actor, enrolmentId);
    const entries = await this.dataSource
      .getRepository(LogbookEntry)
      .find({ where: { enrolmentId }, order: { occurredOn: 'DESC', createdAt: 'DESC' } });
    await this.recordRead(actor, access);
    return { access, entries };
  }

  async entry(actor: AuthUser, entryId: string) {
    const entry = await this.findEntry(entryId);
    const access = await this.access(actor, entry.enrolmentId);
    const [revisions, reviews] = await Promise.all([
      this.dataSource.getRepository(LogbookRevision).find({ where: { entryId }, order: { number: 'ASC' } }),
      this.dataSource.getRepository(LogbookReview).find({ where: { entryId }, order: { createdAt: 'ASC' } }),
    ]);
    await this.recordRead(actor, access, entryId);
    return { access, entry, revisions, reviews };
  }

  async create(actor: AuthUser, enrolmentId: string, dto: CreateEntryDto): Promise<LogbookEntry> {
    const access = await this.access(actor, enrolmentId);
    this.assertOwner(access);
    if (!ENTRY_KIND_RULES[dto.kind].courses.includes(access.courseCode))
      throw refuse(
        'ENTRY_KIND_NOT_FOR_COURSE',
        `A ${access.courseCode} logbook does not take this kind of entry`,
        {
          field: 'kind',
        },
      );
    await this.assertSessionFits(access, dto.kind, dto.sessionId ?? null);
    const entry = await this.dataSource.transaction(async (manager) => {
      const saved = await manager.save(
        manager.create(LogbookEntry, { ...dto, enrolmentId, status: 'draft', skills: dto.skills ?? [] }),
      );
      await this.recordChange(manager, actor, 'logbook.entry_created', saved);
      return saved;
    });
    return this.findEntry(entry.id);
  }

  /** Saves what was written, complete or not; only a draft or a returned entry can change. */
  async update(actor: AuthUser, entryId: string, dto: UpdateEntryDto): Promise<LogbookEntry> {
    const current = await this.findEntry(entryId);
    const access = await this.access(actor, current.enrolmentId);
    this.assertOwner(access);
    const fields = providedFields(dto);
    if (fields.sessionId !== undefined)
      await this.assertSessionFits(access, current.kind, fields.sessionId ?? null);
    await this.dataSource.transaction(async (manager) => {
      const entry = await this.lockEntry(manager, entryId);
      this.assertEditable(entry);
      await manager.update(LogbookEntry, { id: entryId }, fields);
      await this.recordChange(manager, actor, 'logbook.entry_updated', entry);
    });
    return this.findEntry(entryId);
  }

  /**
   * Submits the entry as a new revision. Every prompt must be answered, and nothing may identify a family: each
   * identifier found is refused with where it is; names are warnings the trainee confirms. The draft is kept.
   */
  async submit(actor: AuthUser, entryId: string, dto: SubmitEntryDto): Promise<LogbookEntry> {
    const current = await this.findEntry(entryId);
    const access = await this.access(actor, current.enrolmentId);
    this.assertOwner(access);
    await this.dataSource.transaction(async (manager) => {
      const entry = await this.lockEntry(manager, entryId);
      this.assertEditable(entry);
      this.assertComplete(entry);
      const findings = screenFields({
        ...Object.fromEntries(PROMPT_FIELDS.map((field) => [field, entry[field]])),
        observedBy: entry.observedBy,
      });
      const refusals = findings.filter(isRefusal);
      if (refusals.length > 0)
        throw refuse(
          'IDENTIFIERS_FOUND',
          `Remove what could identify a family before submitting: ${refusals.map((f) => f.text).join(', ')}`,
          { details: { findings } },
        );
      if (findings.length > 0 && !dto.confirmNames)
        throw refuse(
          'NAMES_TO_CONFIRM',
          'Check the possible names, then confirm that none of them is a real person',
          {
            field: 'confirmNames',
            details: { findings },
          },
        );
      const number = entry.revision + 1;
      await manager.insert(LogbookRevision, { entryId, number, content: entryContent(entry) as never });
      await manager.update(
        LogbookEntry,
        { id: entryId },
        { status: 'submitted', revision: number, submittedAt: new Date() },
      );
      await this.recordChange(manager, actor, 'logbook.entry_submitted', entry, { revision: number });
    });
    return this.findEntry(entryId);
  }

  /** A facilitator (or lead) accepts the submitted revision, or returns it with feedback the trainee is sent. */
  async review(actor: AuthUser, entryId: string, dto: ReviewEntryDto): Promise<LogbookEntry> {
    const current = await this.findEntry(entryId);
    const access = await this.access(actor, current.enrolmentId);
    if (!access.reviews)
      throw forbidden('Only the cohort’s facilitators and training leads review its logbooks');
    const feedback = dto.feedback?.trim() || null;
    if (dto.decision === 'returned' && !feedback)
      throw new ValidationFailedException({ feedback: ['Say what the trainee should change'] });
    await this.dataSource.transaction(async (manager) => {
      const entry = await this.lockEntry(manager, entryId);
      if (entry.status !== 'submitted')
        throw refuse('ENTRY_NOT_SUBMITTED', `This entry is ${entry.status}, not waiting for review`);
      await manager.insert(LogbookReview, {
        entryId,
        revision: entry.revision,
        reviewerId: actor.id,
        decision: dto.decision,
        feedback,
      });
      await manager.update(LogbookEntry, { id: entryId }, { status: dto.decision });
      await this.recordChange(manager, actor, `logbook.entry_${dto.decision}`, entry, {
        revision: entry.revision,
      });
      if (dto.decision === 'returned')
        await this.events.publish(manager, 'logbook.entry_returned', {
          entryId,
          enrolmentId: entry.enrolmentId,
          traineeId: access.traineeId,
          reviewerId: actor.id,
        });
    });
    return this.findEntry(entryId);
  }

  /** Submitted entries of the cohorts the actor facilitates (or, for a lead, runs), oldest first. */
  async reviewQueue(actor: AuthUser): Promise<LogbookEntry[]> {
    const builder = this.dataSource
      .getRepository(LogbookEntry)
      .createQueryBuilder('entry')
      .innerJoinAndSelect('entry.enrolment', 'enrolment')
      .innerJoin('enrolment.cohort', 'cohort')
      .where('entry.status = :submitted', { submitted: 'submitted' })
      .orderBy('entry.submittedAt', 'ASC')
      .take(500);
    if (!hasRole(actor, 'admin')) {
      builder.andWhere(
        `(cohort.id IN (SELECT cohort_id FROM cohort_facilitators WHERE user_id = :me)
          OR (:lead AND cohort.organisation_id = :organisation))`,
        { me: actor.id, lead: hasRole(actor, 'training_lead'), organisation: actor.organisationId },
      );
    }
    return builder.getMany();
  }

  /** Of these ids, those that are accepted entries of the enrolment: what may be cited as evidence. */
  async acceptedEntryIds(enrolmentId: string, entryIds: string[]): Promise<string[]> {
    if (entryIds.length === 0) return [];
    const rows = await this.dataSource.getRepository(LogbookEntry).find({
      where: { id: In(entryIds), enrolmentId, status: 'accepted' },
      select: { id: true },
    });
    return rows.map((row) => row.id);
  }

  /**
   * The enrolment's accepted entries by kind and date, for citing as evidence. Titles only, not what was written,
   * so listing them is not a read of the logbook; callers check who may see them.
   */
  async acceptedEntries(
    enrolmentId: string,
  ): Promise<Array<Pick<LogbookEntry, 'id' | 'kind' | 'occurredOn'>>> {
    return this.dataSource.getRepository(LogbookEntry).find({
      where: { enrolmentId, status: 'accepted' },
      select: { id: true, kind: true, occurredOn: true },
      order: { occurredOn: 'ASC' },
    });
  }

  /** Who other than the trainee has read the logbook, and when, newest first (the latest 200 reads). */
  async reads(
    enrolmentId: string,
  ): Promise<Array<{ actorId: string | null; at: Date; entryId: string | null }>> {
    const { events } = await this.audit.list({
      action: 'logbook.read',
      subjectId: enrolmentId,
      pageSize: 200,
    });
    return events.map((event) => ({
      actorId: event.actorId,
      at: event.occurredAt,
      entryId: typeof event.details.entryId === 'string' ? event.details.entryId : null,
    }));
  }

  /** The latest review of each entry. */
  async latestReviews(entryIds: string[]): Promise<LogbookReview[]> {
    if (entryIds.length === 0) return [];
    return this.dataSource
      .getRepository(LogbookReview)
      .createQueryBuilder('review')
      .distinctOn(['review.entryId'])
      .where('review.entryId IN (:...entryIds)', { entryIds })
      .orderBy('review.entryId')
      .addOrderBy('review.createdAt', 'DESC')
      .getMany();
  }

  async findEntry(entryId: string): Promise<LogbookEntry> {
    const entry = await this.dataSource.getRepository(LogbookEntry).findOneBy({ id: entryId });
    if (!entry) throw notFound('The logbook entry');
    return entry;
  }

  private lockEntry(manager: EntityManager, entryId: string): Promise<LogbookEntry> {
    return manager.findOneOrFail(LogbookEntry, {
      where: { id: entryId },
      lock: { mode: 'pessimistic_write' },
    });
  }

  private assertOwner(access: LogbookAccess): void {
    if (!access.own) throw forbidden('Only the trainee writes in their logbook');
  }

  private assertEditable(entry: LogbookEntry): void {
    if (!EDITABLE.includes(entry.status))
      throw refuse('ENTRY_NOT_EDITABLE', `A ${entry.status} entry cannot be changed`);
  }

  /** Submission asks for every prompt and what the kind is tied to; a draft asks for none of it. */
  private assertComplete(entry: LogbookEntry): void {
    const rules = ENTRY_KIND_RULES[entry.kind];
    const errors: Record<string, string[]> = {};
    for (const prompt of rules.prompts)
      if (!entry[prompt.field].trim()) errors[prompt.field] = [`Answer “${prompt.label}” before submitting`];
    if ((rules.attendedSession || rules.coFacilitatedSession) && !entry.sessionId)
      errors.sessionId = ['Choose the session this entry is about'];
    if (rules.practice) {
      if (!entry.minutes) errors.minutes = ['Enter how many minutes the contact lasted'];
      if (!entry.stage) errors.stage = ['Choose the stage of the helping process'];
      if (entry.skills.length === 0) errors.skills = ['Choose at least one skill you used'];
    }
    if (rules.coFacilitatedSession && entry.observed === null)
      errors.observed = ['Say whether the session was observed'];
    if (entry.observed && !entry.observedBy) errors.observedBy = ['Enter who observed the session'];
    if (Object.keys(errors).length > 0) throw new ValidationFailedException(errors);
  }

  /** A session reflection is about a session the trainee attended; a co-facilitation, one they co-facilitated. */
  private async assertSessionFits(
    access: LogbookAccess,
    kind: EntryKind,
    sessionId: string | null,
  ): Promise<void> {
    if (!sessionId) return;
    const rules = ENTRY_KIND_RULES[kind];
    if (rules.attendedSession) {
      if (!(await this.attendance.attendedSessionIds(access.enrolmentId)).has(sessionId))
        throw refuse('SESSION_NOT_ATTENDED', 'Choose a session of your cohort that you attended', {
          field: 'sessionId',
        });
    } else if (rules.coFacilitatedSession) {
      const sessions = await this.cohorts.sessionsFacilitatedBy(access.traineeId, 'foundation');
      if (!sessions.some((session) => session.id === sessionId))
        throw refuse(
          'SESSION_NOT_FACILITATED',
          'Choose a session of a Foundation cohort you co-facilitated',
          {
            field: 'sessionId',
          },
        );
    } else
      throw refuse('SESSION_NOT_EXPECTED', 'This kind of entry is not about one session', {
        field: 'sessionId',
      });
  }

  private async recordRead(actor: AuthUser, access: LogbookAccess, entryId?: string): Promise<void> {
    if (access.own) return;
    await this.audit.record({
      actorId: actor.id,
      action: 'logbook.read',
      subjectType: 'logbook',
      subjectId: access.enrolmentId,
      details: entryId ? { entryId } : {},
    });
  }

  private recordChange(
    manager: EntityManager,
    actor: AuthUser,
    action: string,
    entry: LogbookEntry,
    details: Record<string, unknown> = {},
  ): Promise<void> {
    return this.audit.record(
      {
        actorId: actor.id,
        action,
        subjectType: 'logbook_entry',
        subjectId: entry.id,
        details: { enrolmentId: entry.enrolmentId, kind: entry.kind, ...details },
      },
      manager,
    );
  }
}
