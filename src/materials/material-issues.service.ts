import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { readableOrganisation } from 'src/materials/organisation-scope';
import { AuditService } from 'src/audit/audit.service';
import { CohortParticipant, CohortsService } from 'src/cohorts/cohorts.service';
import type { CourseCode } from 'src/courses/course-code';
import { notFound } from 'src/common/refusal';
import { AuthUser } from 'src/common/request-context';
import { EventsService } from 'src/events/events.service';
import { UsersService } from 'src/users/users.service';
import { IssueBasis } from 'src/materials/material-issue.entity';
import { MATERIAL_EVENTS } from 'src/materials/material.events';
import { MaterialAudience } from 'src/materials/material.entity';

export interface HeldMaterial {
  material: { id: string; code: string; title: string; kind: string };
  /** The edition a download gives: the newest licensed to them. */
  edition: { id: string; label: string };
  cohort: { id: string; title: string };
  basis: IssueBasis;
  canDownload: boolean;
  withdrawnAt: Date | null;
  downloads: number;
  lastDownload: { copyNumber: number; editionLabel: string; at: Date } | null;
  /** The current edition, when it is newer than the one they last downloaded (or hold). */
  newerEdition: { id: string; label: string } | null;
}

export interface MaterialIssueView {
  id: string;
  holder: { id: string; name: string };
  cohort: { id: string; title: string };
  edition: { id: string; label: string };
  basis: IssueBasis;
  issuedAt: Date;
  withdrawnAt: Date | null;
  copies: Array<{ copyNumber: number; startedAt: string; completedAt: string | null; sha256: string | null }>;
}

export interface IssuedEdition {
  title: string;
  code: string;
  editionLabel: string;
  /** The holder had an earlier edition of it. */
  newEdition: boolean;
}

/** Someone to license a material to, and through which cohort. */
interface Holding {
  holderId: string;
  cohortId: string;
  organisationId: string;
  enrolmentId: string | null;
  basis: IssueBasis;
}

/** The audiences whose materials a basis brings: supervisors on the Supervision course are its trainees. */
const AUDIENCES_OF: Record<IssueBasis, (courseCode: CourseCode) => MaterialAudience[]> = {
  trainee: (courseCode) => (courseCode === 'supervision' ? ['trainee', 'supervisor'] : ['trainee']),
  facilitator: () => ['facilitator'],
};

/**
 * Entitlement: who is licensed which edition, kept from the cohorts' events. A confirmed place (or a promotion)
 * licenses the current edition of each trainee material of the course; facilitating a cohort licenses its
 * facilitator materials; a new edition goes to everyone who holds the material. Withdrawal stops downloads only.
 */
@Injectable()
export class MaterialIssuesService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventsService,
    private readonly cohorts: CohortsService,
    private readonly audit: AuditService,
    private readonly users: UsersService,
  ) {}

  onModuleInit(): void {
    this.events.declare('materials', MATERIAL_EVENTS);
    this.events.on('enrolment.placed', 'materials.license-place', async (placed, { manager }) => {
      if (placed.status !== 'enrolled') return;
      await this.licenseThroughCohort(manager, placed.cohortId, 'trainee', [
        { holderId: placed.traineeId, enrolmentId: placed.enrolmentId },
      ]);
    });
    this.events.on('enrolment.promoted', 'materials.license-promotion', async (promoted, { manager }) => {
      await this.licenseThroughCohort(manager, promoted.cohortId, 'trainee', [
        { holderId: promoted.traineeId, enrolmentId: promoted.enrolmentId },
      ]);
    });
    this.events.on(
      'cohort.facilitators_assigned',
      'materials.license-facilitators',
      async (assigned, context) => {
        await this.licenseThroughCohort(
          context.manager,
          assigned.cohortId,
          'facilitator',
          assigned.userIds.map((holderId) => ({ holderId, enrolmentId: null })),
        );
      },
    );
    this.events.on('enrolment.withdrawn', 'materials.withdraw-place', async (withdrawn, context) => {
      await this.withdraw(context.manager, context.occurredAt, {
        holderId: withdrawn.traineeId,
        cohortId: withdrawn.cohortId,
        basis: 'trainee',
      });
    });
    this.events.on(
      'cohort.facilitator_removed',
      'materials.withdraw-facilitator',
      async (removed, context) => {
        await this.withdraw(context.manager, context.occurredAt, {
          holderId: removed.userId,
          cohortId: removed.cohortId,
          basis: 'facilitator',
        });
      },
    );
    this.events.on(
      'cohort.status_changed',
      'materials.withdraw-cancelled-cohort',
      async (changed, context) => {
        if (changed.to !== 'cancelled') return;
        await this.withdraw(context.manager, context.occurredAt, { cohortId: changed.cohortId });
      },
    );
    this.events.on(
      'material.edition_current',
      'materials.license-new-edition',
      async (current, { manager }) => {
        await this.licenseNewEdition(manager, current.materialId, current.editionId);
      },
    );
  }

  /**
   * What a person holds: each material licensed to them, the newest edition of it they may download (or held, if
   * their licence was withdrawn), what they last downloaded, and the material's current edition when it is newer.
   */
  async heldBy(actor: AuthUser): Promise<HeldMaterial[]> {
    const rows: Array<{
      material_id: string;
      code: string;
      title: string;
      kind: string;
      issue_id: string;
      edition_id: string;
      label: string;
      uploaded_at: Date;
      cohort_id: string;
      basis: IssueBasis;
      withdrawn_at: Date | null;
      current_id: string | null;
      current_label: string | null;
      current_uploaded_at: Date | null;
      downloads: string;
      last_copy: number | null;
      last_label: string | null;
      last_at: Date | null;
      last_uploaded_at: Date | null;
    }> = await this.dataSource.query(
      `SELECT DISTINCT ON (m.id)
              m.id AS material_id, m.code, m.title, m.kind,
              i.id AS issue_id, e.id AS edition_id, e.label, e.uploaded_at, i.cohort_id, i.basis, i.withdrawn_at,
              cur.id AS current_id, cur.label AS current_label, cur.uploaded_at AS current_uploaded_at,
              (SELECT count(*) FROM material_copies c JOIN material_issues ci ON ci.id = c.issue_id
                WHERE ci.holder_id = i.holder_id AND ci.material_id = m.id AND c.completed_at IS NOT NULL) AS downloads,
              last.copy_number AS last_copy, last.label AS last_label, last.completed_at AS last_at,
              last.uploaded_at AS last_uploaded_at
         FROM material_issues i
         JOIN materials m ON m.id = i.material_id
         JOIN material_editions e ON e.id = i.edition_id
         LEFT JOIN material_editions cur ON cur.material_id = m.id AND cur.current
         LEFT JOIN LATERAL (
           SELECT c.copy_number, c.completed_at, le.label, le.uploaded_at
             FROM material_copies c
             JOIN material_issues ci ON ci.id = c.issue_id
             JOIN material_editions le ON le.id = c.edition_id
            WHERE ci.holder_id = i.holder_id AND ci.material_id = m.id AND c.completed_at IS NOT NULL
            ORDER BY c.completed_at DESC LIMIT 1
         ) last ON true
        WHERE i.holder_id = $1
        ORDER BY m.id, (i.withdrawn_at IS NULL) DESC, e.uploaded_at DESC, i.issued_at DESC`,
      [actor.id],
    );
    const cohortTitles = await this.cohorts.titlesOf([...new Set(rows.map((row) => row.cohort_id))]);
    return rows
      .map((row) => {
        const reference = row.last_uploaded_at ?? row.uploaded_at;
        const newer = row.current_id && row.current_uploaded_at! > reference;
        return {
          material: { id: row.material_id, code: row.code, title: row.title, kind: row.kind },
          edition: { id: row.edition_id, label: row.label },
          cohort: { id: row.cohort_id, title: cohortTitles.get(row.cohort_id) ?? '' },
          basis: row.basis,
          canDownload: row.withdrawn_at === null,
          withdrawnAt: row.withdrawn_at,
          downloads: Number(row.downloads),
          lastDownload: row.last_copy
            ? { copyNumber: row.last_copy, editionLabel: row.last_label!, at: row.last_at! }
            : null,
          newerEdition: newer ? { id: row.current_id!, label: row.current_label! } : null,
        };
      })
      .sort((a, b) => a.material.title.localeCompare(b.material.title));
  }

  /**
   * Who holds the material, by edition, with every copy they downloaded: all of it for administrators, a training
   * lead's own organisation's cohorts for them.
   */
  async issuesOf(actor: AuthUser, materialId: string): Promise<MaterialIssueView[]> {
    const organisationId = readableOrganisation(actor, 'Who holds licensed materials');
    const [material] = await this.dataSource.query(`SELECT id FROM materials WHERE id = $1`, [materialId]);
    if (!material) throw notFound('The material');
    const rows: Array<{
      id: string;
      holder_id: string;
      cohort_id: string;
      edition_id: string;
      label: string;
      basis: IssueBasis;
      issued_at: Date;
      withdrawn_at: Date | null;
      copies: Array<{
        copyNumber: number;
        startedAt: string;
        completedAt: string | null;
        sha256: string | null;
      }>;
    }> = await this.dataSource.query(
      `SELECT i.id, i.holder_id, i.cohort_id, i.edition_id, e.label, i.basis, i.issued_at, i.withdrawn_at,
              coalesce(json_agg(json_build_object('copyNumber', c.copy_number, 'startedAt', c.started_at,
                                                  'completedAt', c.completed_at, 'sha256', c.sha256)
                                ORDER BY c.copy_number) FILTER (WHERE c.id IS NOT NULL), '[]') AS copies
         FROM material_issues i
         JOIN material_editions e ON e.id = i.edition_id
         LEFT JOIN material_copies c ON c.issue_id = i.id
        WHERE i.material_id = $1 AND ($2::uuid IS NULL OR i.organisation_id = $2)
        GROUP BY i.id, e.label, e.uploaded_at
        ORDER BY e.uploaded_at DESC, i.issued_at DESC`,
      [materialId, organisationId],
    );
    const [people, cohortTitles] = await Promise.all([
      this.users.contacts(rows.map((row) => row.holder_id)),
      this.cohorts.titlesOf([...new Set(rows.map((row) => row.cohort_id))]),
    ]);
    return rows.map((row) => ({
      id: row.id,
      holder: { id: row.holder_id, name: people.get(row.holder_id)?.name ?? '' },
      cohort: { id: row.cohort_id, title: cohortTitles.get(row.cohort_id) ?? '' },
      edition: { id: row.edition_id, label: row.label },
      basis: row.basis,
      issuedAt: row.issued_at,
      withdrawnAt: row.withdrawn_at,
      copies: row.copies,
    }));
  }

  /** What these issues license, for the holder's e-mail: each material and edition, and whether it is a new one. */
  async describe(
    issueIds: string[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<IssuedEdition[]> {
    const rows: Array<{ title: string; code: string; label: string; replaces_earlier: boolean }> =
      await manager.query(
        `SELECT m.title, m.code, e.label,
                EXISTS (SELECT 1 FROM material_issues earlier
                         WHERE earlier.holder_id = i.holder_id AND earlier.material_id = i.material_id
                           AND earlier.edition_id <> i.edition_id) AS replaces_earlier
           FROM material_issues i
           JOIN materials m ON m.id = i.material_id
           JOIN material_editions e ON e.id = i.edition_id
          WHERE i.id = ANY($1) AND i.withdrawn_at IS NULL
          ORDER BY m.title`,
        [issueIds],
      );
    return rows.map((row) => ({
      title: row.title,
      code: row.code,
      editionLabel: row.label,
      newEdition: row.replaces_earlier,
    }));
  }

  private async licenseThroughCohort(
    manager: EntityManager,
    cohortId: string,
    basis: IssueBasis,
    people: Array<{ holderId: string; enrolmentId: string | null }>,
  ): Promise<void> {
    const cohort = await this.cohorts.findCohort(cohortId);
    const courseCode = cohort.courseVersion!.courseCode;
    const editions: Array<{ material_id: string; edition_id: string }> = await manager.query(
      `SELECT m.id AS material_id, e.id AS edition_id
         FROM materials m JOIN material_editions e ON e.material_id = m.id AND e.current
        WHERE $1 = ANY(m.course_codes) AND m.audience && $2::varchar[]`,
      [courseCode, AUDIENCES_OF[basis](courseCode)],
    );
    const holdings = people.map((person) => ({
      ...person,
      cohortId,
      organisationId: cohort.organisationId,
      basis,
    }));
    await this.license(
      manager,
      editions.flatMap((edition) =>
        holdings.map((holding) => ({
          materialId: edition.material_id,
          editionId: edition.edition_id,
          holding,
        })),
      ),
    );
  }

  /**
   * The new current edition goes to everyone who holds the material now, and to everyone taking part in a running
   * cohort of its courses whom it is for (the first edition of a material finds its holders this way).
   */
  private async licenseNewEdition(
    manager: EntityManager,
    materialId: string,
    editionId: string,
  ): Promise<void> {
    const [material]: Array<{ course_codes: CourseCode[]; audience: MaterialAudience[] }> =
      await manager.query(`SELECT course_codes, audience FROM materials WHERE id = $1`, [materialId]);
    const holders: Array<Holding> = await manager
      .query(
        `SELECT DISTINCT holder_id, cohort_id, organisation_id, enrolment_id, basis
           FROM material_issues WHERE material_id = $1 AND withdrawn_at IS NULL`,
        [materialId],
      )
      .then((rows: Array<Record<string, string | null>>) =>
        rows.map((row) => ({
          holderId: row.holder_id!,
          cohortId: row.cohort_id!,
          organisationId: row.organisation_id!,
          enrolmentId: row.enrolment_id,
          basis: row.basis as IssueBasis,
        })),
      );
    const participants = (await this.cohorts.activeParticipants(material.course_codes))
      .filter((participant) => isFor(material.audience, participant))
      .map((participant): Holding => ({
        holderId: participant.userId,
        cohortId: participant.cohortId,
        organisationId: participant.organisationId,
        enrolmentId: participant.enrolmentId,
        basis: participant.role,
      }));
    await this.license(
      manager,
      [...holders, ...participants].map((holding) => ({ materialId, editionId, holding })),
    );
  }

  /**
   * Licenses each edition to each holder through the cohort, once (a licence withdrawn and given again is given
   * back), and tells each holder what they can now download.
   */
  private async license(
    manager: EntityManager,
    grants: Array<{ materialId: string; editionId: string; holding: Holding }>,
  ): Promise<void> {
    const unique = [
      ...new Map(
        grants.map((grant) => [
          `${grant.editionId} ${grant.holding.holderId} ${grant.holding.cohortId}`,
          grant,
        ]),
      ).values(),
    ];
    if (unique.length === 0) return;
    const issued: Array<{ id: string; holder_id: string; material_id: string; edition_id: string }> =
      await manager.query(
        `INSERT INTO material_issues (material_id, edition_id, holder_id, cohort_id, organisation_id, enrolment_id, basis)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[], $6::uuid[], $7::varchar[])
         ON CONFLICT (edition_id, holder_id, cohort_id)
           DO UPDATE SET withdrawn_at = NULL, enrolment_id = EXCLUDED.enrolment_id
           WHERE material_issues.withdrawn_at IS NOT NULL
         RETURNING id, holder_id, material_id, edition_id`,
        [
          unique.map((grant) => grant.materialId),
          unique.map((grant) => grant.editionId),
          unique.map((grant) => grant.holding.holderId),
          unique.map((grant) => grant.holding.cohortId),
          unique.map((grant) => grant.holding.organisationId),
          unique.map((grant) => grant.holding.enrolmentId),
          unique.map((grant) => grant.holding.basis),
        ],
      );
    const byHolder = new Map<string, string[]>();
    for (const row of issued) byHolder.set(row.holder_id, [...(byHolder.get(row.holder_id) ?? []), row.id]);
    for (const row of issued)
      await this.audit.record(
        {
          actorId: null,
          action: 'material.issued',
          subjectType: 'material',
          subjectId: row.material_id,
          details: { issueId: row.id, holderId: row.holder_id, editionId: row.edition_id },
        },
        manager,
      );
    for (const [holderId, issueIds] of byHolder)
      await this.events.publish(manager, 'material.available', { holderId, issueIds });
  }

  /** Ends licences through a cohort: one person's (of one basis), or everyone's when the cohort is cancelled. */
  private async withdraw(
    manager: EntityManager,
    at: Date,
    { cohortId, holderId, basis }: { cohortId: string; holderId?: string; basis?: IssueBasis },
  ): Promise<void> {
    const withdrawn: Array<{ id: string; material_id: string; holder_id: string }> = await manager
      .query(
        `UPDATE material_issues SET withdrawn_at = $4
          WHERE cohort_id = $1 AND ($2::uuid IS NULL OR holder_id = $2) AND ($3::varchar IS NULL OR basis = $3)
            AND withdrawn_at IS NULL
          RETURNING id, material_id, holder_id`,
        [cohortId, holderId ?? null, basis ?? null, at],
      )
      .then((result: [Array<{ id: string; material_id: string; holder_id: string }>, number]) => result[0]);
    for (const row of withdrawn)
      await this.audit.record(
        {
          actorId: null,
          action: 'material.issue_withdrawn',
          subjectType: 'material',
          subjectId: row.material_id,
          details: { issueId: row.id, holderId: row.holder_id, cohortId },
        },
        manager,
      );
  }
}

function isFor(audience: MaterialAudience[], participant: CohortParticipant): boolean {
  return AUDIENCES_OF[participant.role](participant.courseCode).some((wanted) => audience.includes(wanted));
}
