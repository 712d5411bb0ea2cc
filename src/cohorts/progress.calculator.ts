import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Cohort } from 'src/cohorts/cohort.entity';
import type { CompletionPolicy, ProgressFacts, ProgressReport } from 'src/courses/completion-policy';
import { CoursesService } from 'src/courses/courses.service';
import { ProgressFactRegistry } from 'src/courses/progress-fact.registry';
import type { ProgressFactMap } from 'src/courses/progress-facts';
import { UsersService } from 'src/users/users.service';

export interface EnrolmentProgress extends ProgressReport {
  enrolmentId: string;
  traineeId: string;
  traineeName: string;
  status: string;
}

interface ReportedEnrolment {
  enrolment_id: string;
  trainee_id: string;
  status: string;
  course_version_id: string;
}

export interface ProgressFactsRows {
  rows: ReportedEnrolment[];
  /** Every registered provider's fact, by enrolment id. */
  facts: Map<string, Partial<ProgressFactMap>>;
  contacts: Map<string, { name: string }>;
}

const REPORTED_ENROLMENTS = `
  SELECT e.id AS enrolment_id, e.trainee_id, e.status, c.course_version_id
    FROM enrolments e
    JOIN cohorts c ON c.id = e.cohort_id
   WHERE e.cohort_id = $1 AND e.status IN ('enrolled', 'completed') AND ($2::uuid IS NULL OR e.id = $2)
   ORDER BY e.created_at`;

/**
 * Gathers the facts for every enrolment of a cohort from the registered fact providers, each in a fixed number
 * of queries whatever the group size, and asks the course's completion policy for each report. The providers
 * run side by side once the enrolments are known.
 */
@Injectable()
export class ProgressCalculator {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly courses: CoursesService,
    private readonly users: UsersService,
    private readonly providers: ProgressFactRegistry,
  ) {}

  async reports(
    cohort: Cohort,
    manager: EntityManager = this.dataSource.manager,
    enrolmentId?: string,
  ): Promise<EnrolmentProgress[]> {
    return this.evaluate(cohort, await this.gather(cohort.id, manager, enrolmentId));
  }

  /** The facts alone, which need only the cohort's id: callers may fetch them while checking access. */
  async gather(
    cohortId: string,
    manager: EntityManager = this.dataSource.manager,
    enrolmentId?: string,
  ): Promise<ProgressFactsRows> {
    const rows: ReportedEnrolment[] = await manager.query(REPORTED_ENROLMENTS, [
      cohortId,
      enrolmentId ?? null,
    ]);
    if (rows.length === 0) return { rows, facts: new Map(), contacts: new Map() };
    const scope = {
      cohortId,
      courseVersionId: rows[0].course_version_id,
      enrolments: rows.map((row) => ({ enrolmentId: row.enrolment_id, traineeId: row.trainee_id })),
    };
    const ids = rows.map((row) => row.trainee_id);
    const gatherFact = async (provider: ReturnType<ProgressFactRegistry['all']>[number]) => ({
      fact: provider.fact,
      values: await provider.gather(scope, manager),
    });
    // Side by side on the pool; one after another inside a transaction, which has a single connection.
    const [contacts, gathered] = manager.queryRunner?.isTransactionActive
      ? [
          await this.users.contacts(ids, manager),
          await inTurn(this.providers.all().map((p) => () => gatherFact(p))),
        ]
      : await Promise.all([
          this.users.contacts(ids, manager),
          Promise.all(this.providers.all().map(gatherFact)),
        ]);
    const facts = new Map(
      rows.map((row) => [
        row.enrolment_id,
        Object.fromEntries(gathered.map(({ fact, values }) => [fact, values.get(row.enrolment_id)])),
      ]),
    );
    return { rows, facts, contacts };
  }

  evaluate(cohort: Cohort, { rows, facts, contacts }: ProgressFactsRows): EnrolmentProgress[] {
    const policy = this.courses.policyFor(cohort.courseVersion!.courseCode);
    return rows.map((row) => {
      const report = policy.evaluate({
        rules: cohort.courseVersion!.rules,
        ...needed(policy, row.enrolment_id, facts.get(row.enrolment_id) ?? {}),
      });
      return {
        enrolmentId: row.enrolment_id,
        traineeId: row.trainee_id,
        traineeName: contacts.get(row.trainee_id)?.name ?? '',
        status: row.status,
        ...report,
      };
    });
  }
}

/** The start check makes sure a provider exists for each fact; a provider must answer for every enrolment. */
function needed(
  policy: CompletionPolicy,
  enrolmentId: string,
  facts: Partial<ProgressFactMap>,
): Omit<ProgressFacts, 'rules'> {
  const missing = policy.needs.filter((fact) => facts[fact] === undefined);
  if (missing.length > 0) {
    throw new Error(`No ${missing.join(', ')} fact for enrolment ${enrolmentId}`);
  }
  return facts as ProgressFactMap;
}

async function inTurn<T>(queries: ReadonlyArray<() => Promise<T>>): Promise<T[]> {
  const results: T[] = [];
  for (const query of queries) results.push(await query());
  return results;
}
