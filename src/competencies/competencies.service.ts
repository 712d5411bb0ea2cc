import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from 'src/audit/audit.service';
import { forbidden, notFound, refuse } from 'src/common/refusal';
import type { AuthUser } from 'src/common/request-context';
import { canRunRegister } from 'src/cohorts/cohort-access';
import { CohortsService } from 'src/cohorts/cohorts.service';
import { EnrolmentsService } from 'src/cohorts/enrolments.service';
import { CompetenciesRepository, NewSignOff } from 'src/competencies/competencies.repository';
import { COMPETENCY_GROUP_NAMES, CompetencyGroup, SignOffOutcome } from 'src/competencies/competency-group';
import type { RevokeSignOffDto, SignOffDto } from 'src/competencies/dto/competency.dto';
import {
  CompetencyState,
  groupByCompetencyGroup,
  orderTrail,
  trailState,
  unacceptedEvidence,
} from 'src/competencies/sign-off-trail';
import type { CourseCode } from 'src/courses/course-code';
import { CoursesService } from 'src/courses/courses.service';
import type { EntryKind } from 'src/logbooks/entry-kinds';
import { LogbooksService } from 'src/logbooks/logbooks.service';
import { UsersService } from 'src/users/users.service';

export interface CompetencyItemView {
  code: string;
  group: CompetencyGroup;
  title: string;
  description: string;
}

export interface FrameworkView {
  courseCode: CourseCode;
  courseVersionId: string;
  version: number;
  groups: Array<{ group: CompetencyGroup; name: string; competencies: CompetencyItemView[] }>;
}

export interface SignOffView {
  id: string;
  competencyCode: string;
  enrolmentId: string;
  outcome: SignOffOutcome;
  evidenceEntryIds: string[];
  /** The facilitator's comment; for a revocation, its reason. */
  comment: string;
  signedBy: { id: string; name: string };
  signedAt: Date;
  supersedesId: string | null;
}

export interface EnrolmentCompetencyView extends CompetencyItemView {
  state: CompetencyState;
  current: SignOffView | null;
  /** Every record, newest first; the first is the current one. */
  history: SignOffView[];
}

export interface EnrolmentCompetenciesView {
  enrolmentId: string;
  traineeId: string;
  traineeName: string;
  cohortId: string;
  cohortTitle: string;
  courseCode: CourseCode;
  courseVersionId: string;
  met: number;
  total: number;
  /** Whether the person asking may record and revoke sign-offs for this enrolment. */
  canSignOff: boolean;
  groups: Array<{ group: CompetencyGroup; name: string; competencies: EnrolmentCompetencyView[] }>;
}

/** An accepted logbook entry that may be cited as evidence, as the sign-off form lists it. */
export interface AcceptedEntry {
  id: string;
  kind: EntryKind;
  occurredOn: string;
}

/** Enrolments that are assessed: those holding a place, or that completed the course. */
const ASSESSED_STATUSES = ['enrolled', 'completed'];

type Enrolment = Awaited<ReturnType<EnrolmentsService['find']>>;
type CohortAccessFor = Awaited<ReturnType<CohortsService['access']>>;

/**
 * Competency frameworks per course version, and the append-only sign-off trail of each trainee's competency.
 * A cohort's facilitators and its training leads record; the trainee, they and admins read.
 */
@Injectable()
export class CompetenciesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: CompetenciesRepository,
    private readonly courses: CoursesService,
    private readonly cohorts: CohortsService,
    private readonly enrolments: EnrolmentsService,
    private readonly logbooks: LogbooksService,
    private readonly users: UsersService,
    private readonly audit: AuditService,
  ) {}

  /** The framework of the course's current version: what a cohort created today is assessed against. */
  async currentFramework(courseCode: CourseCode): Promise<FrameworkView> {
    const version = await this.courses.currentVersion(courseCode);
    const items = await this.repository.framework(version.id);
    return {
      courseCode,
      courseVersionId: version.id,
      version: version.version,
      groups: groupByCompetencyGroup(items).map(({ group, items: inGroup }) => ({
        group,
        name: COMPETENCY_GROUP_NAMES[group],
        competencies: inGroup.map(itemView),
      })),
    };
  }

  /** Each competency of the enrolment's course version, with its current state and its whole trail. */
  async forEnrolment(actor: AuthUser, enrolmentId: string): Promise<EnrolmentCompetenciesView> {
    const enrolment = await this.enrolments.find(enrolmentId);
    const { cohort, access } = await this.cohorts.access(actor, enrolment.cohortId);
    if (enrolment.traineeId !== actor.id && !canRunRegister(access))
      throw forbidden('These competencies are not yours to read');
    const [items, records] = await Promise.all([
      this.repository.framework(cohort.courseVersionId),
      this.repository.records(enrolmentId),
    ]);
    const names = await this.users.contacts([
      enrolment.traineeId,
      ...records.map((record) => record.signedById),
    ]);
    const codes = new Map(items.map((item) => [item.id, item.code]));
    const views = records.map((record) =>
      signOffView(record, codes.get(record.competencyId) ?? '', names.get(record.signedById)?.name ?? ''),
    );
    const competencies = items.map((item): EnrolmentCompetencyView & { position: number } => {
      const history = orderTrail(views.filter((view) => view.competencyCode === item.code));
      return {
        ...itemView(item),
        position: item.position,
        state: trailState(history),
        current: history[0] ?? null,
        history,
      };
    });
    return {
      enrolmentId,
      traineeId: enrolment.traineeId,
      traineeName: names.get(enrolment.traineeId)?.name ?? '',
      cohortId: cohort.id,
      cohortTitle: cohort.title,
      courseCode: cohort.courseVersion!.courseCode,
      courseVersionId: cohort.courseVersionId,
      met: competencies.filter((competency) => competency.state === 'met').length,
      total: competencies.length,
      canSignOff: signOffRefusal(actor, { cohort, access }, enrolment) === null,
      groups: groupByCompetencyGroup(competencies).map(({ group, items: inGroup }) => ({
        group,
        name: COMPETENCY_GROUP_NAMES[group],
        competencies: inGroup.map(({ position: _position, ...competency }) => competency),
      })),
    };
  }

  /** The enrolment's accepted logbook entries, for the sign-off form and to name cited evidence. */
  async acceptedEntries(view: EnrolmentCompetenciesView): Promise<AcceptedEntry[]> {
    return this.logbooks.acceptedEntries(view.enrolmentId);
  }

  /** Records met or not yet met, superseding the current record of the trainee's competency, if any. */
  /** Refuses anyone who may not sign off (or revoke) this enrolment's competencies. */
  async assertMaySignOffOn(
    actor: AuthUser,
    enrolmentId: string,
  ): Promise<{ enrolment: Enrolment; seen: CohortAccessFor }> {
    const enrolment = await this.enrolments.find(enrolmentId);
    const seen = await this.cohorts.access(actor, enrolment.cohortId);
    assertMaySignOff(actor, seen, enrolment);
    return { enrolment, seen };
  }

  async signOff(actor: AuthUser, enrolmentId: string, code: string, dto: SignOffDto): Promise<SignOffView> {
    const { enrolment, seen } = await this.assertMaySignOffOn(actor, enrolmentId);
    const item = await this.repository.item(seen.cohort.courseVersionId, code);
    if (!item) throw notFound('The competency');
    const evidenceEntryIds = dto.evidenceEntryIds ?? [];
    const unaccepted = unacceptedEvidence(
      evidenceEntryIds,
      evidenceEntryIds.length ? await this.logbooks.acceptedEntryIds(enrolmentId, evidenceEntryIds) : [],
    );
    if (unaccepted.length > 0) {
      throw refuse(
        'EVIDENCE_NOT_ACCEPTED',
        `Evidence must be accepted logbook entries of this trainee’s enrolment; these are not: ${unaccepted.join(', ')}`,
        { field: 'evidenceEntryIds', details: { entryIds: unaccepted } },
      );
    }
    return this.append(actor, enrolment, item.code, {
      enrolmentId,
      competencyId: item.id,
      outcome: dto.outcome,
      evidenceEntryIds,
      comment: dto.comment,
      signedById: actor.id,
    });
  }

  /** Revokes the current record with a reason: a new record, so the revoked one stays in the history. */
  async revoke(actor: AuthUser, signOffId: string, dto: RevokeSignOffDto): Promise<SignOffView> {
    const revoked = await this.repository.find(signOffId);
    if (!revoked) throw notFound('The sign-off');
    const { enrolment } = await this.assertMaySignOffOn(actor, revoked.enrolmentId);
    const item = (await this.repository.itemsByIds([revoked.competencyId])).get(revoked.competencyId)!;
    return this.append(
      actor,
      enrolment,
      item.code,
      {
        enrolmentId: revoked.enrolmentId,
        competencyId: revoked.competencyId,
        outcome: 'revoked',
        evidenceEntryIds: [],
        comment: dto.reason,
        signedById: actor.id,
      },
      signOffId,
    );
  }

  /**
   * Appends a record after the current one, under a lock held per trainee and competency, so that sign-offs
   * arriving together each supersede the one before: one chain, never a fork. A revocation names the record it
   * revokes, and is refused if that is no longer current.
   */
  private async append(
    actor: AuthUser,
    enrolment: Enrolment,
    code: string,
    record: NewSignOff,
    revokes?: string,
  ): Promise<SignOffView> {
    const id = await this.dataSource.transaction(async (manager) => {
      await this.repository.lockTrail(manager, record.enrolmentId, record.competencyId);
      const current = await this.repository.current(manager, record.enrolmentId, record.competencyId);
      if (revokes !== undefined) {
        if (current?.id !== revokes) {
          throw refuse('SIGN_OFF_SUPERSEDED', 'This sign-off has been superseded; revoke the current one', {
            details: { currentId: current?.id ?? null },
          });
        }
        if (current.outcome === 'revoked')
          throw refuse('SIGN_OFF_ALREADY_REVOKED', 'This sign-off is a revocation already');
      }
      const created = await this.repository.append(manager, record, current?.id ?? null);
      await this.audit.record(
        {
          actorId: actor.id,
          action: revokes === undefined ? 'competency.signed_off' : 'competency.sign_off_revoked',
          subjectType: 'competency_sign_off',
          subjectId: created,
          details: {
            enrolmentId: record.enrolmentId,
            traineeId: enrolment.traineeId,
            competency: code,
            outcome: record.outcome,
            evidenceEntryIds: record.evidenceEntryIds,
            supersedesId: current?.id ?? null,
          },
        },
        manager,
      );
      return created;
    });
    const saved = (await this.repository.find(id))!;
    return signOffView(saved, code, actor.name);
  }
}

/** Why this person may not record sign-offs for this enrolment, or null when they may. */
function signOffRefusal(
  actor: AuthUser,
  { cohort, access }: CohortAccessFor,
  enrolment: Enrolment,
): { code: 'FORBIDDEN' | 'OWN_ENROLMENT_SIGN_OFF' | 'ENROLMENT_NOT_ASSESSED'; message: string } | null {
  if (!canRunRegister(access))
    return {
      code: 'FORBIDDEN',
      message: 'Only this cohort’s facilitators and training leads can sign off competencies',
    };
  if (enrolment.traineeId === actor.id)
    return { code: 'OWN_ENROLMENT_SIGN_OFF', message: 'You cannot sign off your own competencies' };
  // Once a cohort is completed its sign-offs are evidence for certificates, as its registers are.
  if (cohort.status === 'completed' && !access.manage)
    return {
      code: 'FORBIDDEN',
      message: 'This cohort is completed: only a training lead can change its sign-offs',
    };
  if (cohort.status === 'cancelled')
    return { code: 'ENROLMENT_NOT_ASSESSED', message: 'This cohort was cancelled; no one is assessed on it' };
  if (!ASSESSED_STATUSES.includes(enrolment.status))
    return {
      code: 'ENROLMENT_NOT_ASSESSED',
      message: `This trainee does not hold a place on the cohort (their enrolment is ${enrolment.status})`,
    };
  return null;
}

function assertMaySignOff(actor: AuthUser, seen: CohortAccessFor, enrolment: Enrolment): void {
  const refusal = signOffRefusal(actor, seen, enrolment);
  if (!refusal) return;
  throw refusal.code === 'FORBIDDEN' ? forbidden(refusal.message) : refuse(refusal.code, refusal.message);
}

const itemView = (item: CompetencyItemView): CompetencyItemView => ({
  code: item.code,
  group: item.group,
  title: item.title,
  description: item.description,
});

function signOffView(
  record: {
    id: string;
    enrolmentId: string;
    outcome: SignOffOutcome;
    evidenceEntryIds: string[];
    comment: string;
    signedById: string;
    signedAt: Date;
    supersedesId: string | null;
  },
  competencyCode: string,
  signedByName: string,
): SignOffView {
  return {
    id: record.id,
    competencyCode,
    enrolmentId: record.enrolmentId,
    outcome: record.outcome,
    evidenceEntryIds: record.evidenceEntryIds,
    comment: record.comment,
    signedBy: { id: record.signedById, name: signedByName },
    signedAt: record.signedAt,
    supersedesId: record.supersedesId,
  };
}
