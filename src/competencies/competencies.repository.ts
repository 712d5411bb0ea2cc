import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import type { SignOffOutcome } from 'src/competencies/competency-group';
import { Competency } from 'src/competencies/competency.entity';
import { CompetencySignOff } from 'src/competencies/competency-sign-off.entity';
import type { CompetencyFacts } from 'src/courses/progress-facts';

export interface NewSignOff {
  enrolmentId: string;
  competencyId: string;
  outcome: SignOffOutcome;
  evidenceEntryIds: string[];
  comment: string;
  signedById: string;
}

// A record is current when no other record supersedes it (unique index on supersedes_id: one probe).
const IS_CURRENT = `NOT EXISTS (SELECT 1 FROM competency_sign_offs later WHERE later.supersedes_id = s.id)`;

const MET_BY_ENROLMENT = `
  WITH framework AS (SELECT id FROM competencies WHERE course_version_id = $1)
  SELECT e.enrolment_id AS "enrolmentId", (SELECT count(*) FROM framework)::int AS total,
         count(s.id)::int AS met
    FROM unnest($2::uuid[]) AS e(enrolment_id)
    LEFT JOIN competency_sign_offs s
           ON s.enrolment_id = e.enrolment_id AND s.outcome = 'met'
          AND s.competency_id IN (SELECT id FROM framework) AND ${IS_CURRENT}
   GROUP BY e.enrolment_id`;

/** The competencies feature's queries and locks: frameworks per course version and the sign-off trails. */
@Injectable()
export class CompetenciesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async framework(courseVersionId: string): Promise<Competency[]> {
    return this.dataSource
      .getRepository(Competency)
      .find({ where: { courseVersionId }, order: { position: 'ASC' } });
  }

  async item(courseVersionId: string, code: string): Promise<Competency | null> {
    return this.dataSource.getRepository(Competency).findOneBy({ courseVersionId, code });
  }

  async itemsByIds(ids: string[]): Promise<Map<string, Competency>> {
    const items = ids.length ? await this.dataSource.getRepository(Competency).findBy({ id: In(ids) }) : [];
    return new Map(items.map((item) => [item.id, item]));
  }

  /**
   * Gives a new course version the framework of the one it replaces. Doing nothing when it has one already makes
   * a repeated delivery harmless; a source without a framework yet (its own copy still on its way) is a fault,
   * so that the event is tried again later rather than leaving the new version empty.
   */
  async copyFramework(fromVersionId: string, toVersionId: string, manager: EntityManager): Promise<number> {
    if (await manager.existsBy(Competency, { courseVersionId: toVersionId })) return 0;
    const copied: Array<{ id: string }> = await manager.query(
      `INSERT INTO competencies (course_version_id, code, "group", title, description, position)
       SELECT $2, code, "group", title, description, position FROM competencies WHERE course_version_id = $1
       RETURNING id`,
      [fromVersionId, toVersionId],
    );
    if (copied.length === 0)
      throw new Error(`Course version ${fromVersionId} has no competency framework to copy yet`);
    return copied.length;
  }

  /**
   * Queues sign-offs of one trainee's competency behind each other until the transaction ends, including the
   * first one, when there is no row yet to lock.
   */
  async lockTrail(manager: EntityManager, enrolmentId: string, competencyId: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
      `competency-sign-off:${enrolmentId}:${competencyId}`,
    ]);
  }

  async current(
    manager: EntityManager,
    enrolmentId: string,
    competencyId: string,
  ): Promise<CompetencySignOff | null> {
    return manager
      .createQueryBuilder(CompetencySignOff, 's')
      .where('s.enrolmentId = :enrolmentId AND s.competencyId = :competencyId', { enrolmentId, competencyId })
      .andWhere(IS_CURRENT)
      .getOne();
  }

  async append(manager: EntityManager, record: NewSignOff, supersedesId: string | null): Promise<string> {
    const { identifiers } = await manager.insert(CompetencySignOff, { ...record, supersedesId });
    return String(identifiers[0].id);
  }

  async find(id: string): Promise<CompetencySignOff | null> {
    return this.dataSource.getRepository(CompetencySignOff).findOneBy({ id });
  }

  /** Every record of an enrolment, of every competency; callers order each competency's trail. */
  async records(enrolmentId: string): Promise<CompetencySignOff[]> {
    return this.dataSource.getRepository(CompetencySignOff).findBy({ enrolmentId });
  }

  /** How many of the version's items each enrolment has met, in one query whatever the number of enrolments. */
  async metCounts(
    courseVersionId: string,
    enrolmentIds: string[],
    manager: EntityManager,
  ): Promise<Map<string, CompetencyFacts>> {
    if (enrolmentIds.length === 0) return new Map();
    const rows: Array<CompetencyFacts & { enrolmentId: string }> = await manager.query(MET_BY_ENROLMENT, [
      courseVersionId,
      enrolmentIds,
    ]);
    return new Map(rows.map(({ enrolmentId, met, total }) => [enrolmentId, { met, total }]));
  }
}
