import { BullModule } from '@nestjs/bullmq';
import { Module, OnModuleInit } from '@nestjs/common';
import { QUEUES } from 'src/common/queues';
import { AttendanceFactProvider } from 'src/cohorts/attendance.fact-provider';
import { AttendanceService } from 'src/cohorts/attendance.service';
import { CalendarController } from 'src/cohorts/calendar.controller';
import { CalendarService } from 'src/cohorts/calendar.service';
import { CohortsController, EnrolmentsController } from 'src/cohorts/cohorts.controller';
import { FacilitatorPagesController } from 'src/cohorts/facilitator.pages.controller';
import { TraineePagesController } from 'src/cohorts/trainee.pages.controller';
import { BulkEnrolmentPagesController } from 'src/cohorts/bulk-enrolment.pages.controller';
import { BulkEnrolmentService } from 'src/cohorts/bulk-enrolment.service';
import { CohortPeoplePagesController } from 'src/cohorts/cohort-people.pages.controller';
import { CohortsPagesController } from 'src/cohorts/cohorts.pages.controller';
import { SessionsPagesController } from 'src/cohorts/sessions.pages.controller';
import { CohortsService } from 'src/cohorts/cohorts.service';
import { EnrolmentsService } from 'src/cohorts/enrolments.service';
import { ProgressCalculator } from 'src/cohorts/progress.calculator';
import { ProgressService } from 'src/cohorts/progress.service';
import { RemindersService } from 'src/cohorts/reminders.service';
import { CompletionPolicyModule } from 'src/courses/completion-policy.module';
import { CoursesModule } from 'src/courses/courses.module';
import { ProgressFactRegistry } from 'src/courses/progress-fact.registry';
import { EventsModule } from 'src/events/events.module';
import { OrganisationsModule } from 'src/organisations/organisations.module';
import { UsersModule } from 'src/users/users.module';
import { CohortsPersonalData } from 'src/cohorts/cohorts.personal-data';
import { PersonalDataRegistry } from 'src/privacy/personal-data.registry';
import { CohortsRetention } from 'src/cohorts/cohorts.retention';
import { RetentionRegistry } from 'src/privacy/retention.registry';

/**
 * Cohorts, their sessions and facilitators, enrolment with waiting lists, attendance, calendars and reminders.
 * Supplies the attendance fact to progress.
 */
@Module({
  imports: [
    BullModule.registerQueue({ name: QUEUES.reminders }),
    CompletionPolicyModule,
    CoursesModule,
    EventsModule,
    OrganisationsModule,
    UsersModule,
  ],
  controllers: [
    CohortsController,
    EnrolmentsController,
    CalendarController,
    FacilitatorPagesController,
    TraineePagesController,
    CohortsPagesController,
    CohortPeoplePagesController,
    BulkEnrolmentPagesController,
    SessionsPagesController,
  ],
  providers: [
    CohortsPersonalData,
    CohortsRetention,
    CohortsService,
    BulkEnrolmentService,
    EnrolmentsService,
    AttendanceService,
    AttendanceFactProvider,
    ProgressCalculator,
    ProgressService,
    RemindersService,
    CalendarService,
  ],
  exports: [
    CohortsService,
    EnrolmentsService,
    AttendanceService,
    ProgressService,
    RemindersService,
    BullModule,
  ],
})
export class CohortsModule implements OnModuleInit {
  constructor(
    private readonly personalData: PersonalDataRegistry,
    private readonly cohortsPersonalData: CohortsPersonalData,
    private readonly retention: RetentionRegistry,
    private readonly cohortsRetention: CohortsRetention,
    private readonly facts: ProgressFactRegistry,
    private readonly attendance: AttendanceFactProvider,
  ) {}

  onModuleInit(): void {
    this.personalData.register(this.cohortsPersonalData);
    this.retention.register(this.cohortsRetention);
    this.facts.register(this.attendance);
  }
}
