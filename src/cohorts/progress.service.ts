import { Injectable } from '@nestjs/common';
import { forbidden } from 'src/common/refusal';
import type { AuthUser } from 'src/common/request-context';
import { canRunRegister } from 'src/cohorts/cohort-access';
import { CohortsService } from 'src/cohorts/cohorts.service';
import { EnrolmentsService } from 'src/cohorts/enrolments.service';
import { EnrolmentProgress, ProgressCalculator } from 'src/cohorts/progress.calculator';
import type { ProgressReport } from 'src/courses/completion-policy';

/** Progress reports, with the scope rules: a trainee reads their own, facilitators and leads their cohorts'. */
@Injectable()
export class ProgressService {
  constructor(
    private readonly cohorts: CohortsService,
    private readonly enrolments: EnrolmentsService,
    private readonly calculator: ProgressCalculator,
  ) {}

  async forCohort(actor: AuthUser, cohortId: string): Promise<EnrolmentProgress[]> {
    // The facts are fetched while access is checked; nothing is returned unless the check passes.
    const [{ cohort, access }, facts] = await Promise.all([
      this.cohorts.access(actor, cohortId),
      this.calculator.gather(cohortId),
    ]);
    if (!canRunRegister(access))
      throw forbidden('Only this cohort’s facilitators and training leads can do this');
    return this.calculator.evaluate(cohort, facts).sort((a, b) => a.traineeName.localeCompare(b.traineeName));
  }

  async forEnrolment(
    actor: AuthUser,
    enrolmentId: string,
  ): Promise<ProgressReport & { enrolmentId: string }> {
    const enrolment = await this.enrolments.find(enrolmentId);
    const { cohort, access } = await this.cohorts.access(actor, enrolment.cohortId);
    if (enrolment.traineeId !== actor.id && !canRunRegister(access))
      throw forbidden('This progress report is not yours to read');
    const [report] = await this.calculator.reports(cohort, undefined, enrolmentId);
    if (!report) return { enrolmentId, eligible: false, requirements: [] };
    return { enrolmentId, eligible: report.eligible, requirements: report.requirements };
  }
}
