import { Module, OnModuleInit } from '@nestjs/common';
import { CompletedCoursesFactProvider } from 'src/courses/completed-courses.fact-provider';
import { CompletionPolicyModule } from 'src/courses/completion-policy.module';
import { AccreditationsPagesController } from 'src/courses/accreditations.pages.controller';
import { CoursesController } from 'src/courses/courses.controller';
import { AccreditationsController, QualificationsController } from 'src/courses/qualifications.controller';
import { QualificationsService } from 'src/courses/qualifications.service';
import { CoursesService } from 'src/courses/courses.service';
import { EventsModule } from 'src/events/events.module';
import { FacilitatorModule } from 'src/courses/facilitator/facilitator.module';
import { FoundationModule } from 'src/courses/foundation/foundation.module';
import { SupervisionModule } from 'src/courses/supervision/supervision.module';
import { ProgressFactRegistry } from 'src/courses/progress-fact.registry';
import { UsersModule } from 'src/users/users.module';
import { CoursesPersonalData } from 'src/courses/courses.personal-data';
import { PersonalDataRegistry } from 'src/privacy/personal-data.registry';

/**
 * The catalogue of course versions, accreditations and completions, with one module per course for its policy.
 * Supplies the completed-courses fact to progress.
 */
@Module({
  imports: [
    CompletionPolicyModule,
    EventsModule,
    FoundationModule,
    SupervisionModule,
    FacilitatorModule,
    UsersModule,
  ],
  controllers: [
    CoursesController,
    QualificationsController,
    AccreditationsController,
    AccreditationsPagesController,
  ],
  providers: [CoursesPersonalData, CoursesService, QualificationsService, CompletedCoursesFactProvider],
  exports: [CoursesService, QualificationsService],
})
export class CoursesModule implements OnModuleInit {
  constructor(
    private readonly personalData: PersonalDataRegistry,
    private readonly coursesPersonalData: CoursesPersonalData,
    private readonly facts: ProgressFactRegistry,
    private readonly completedCourses: CompletedCoursesFactProvider,
  ) {}

  onModuleInit(): void {
    this.personalData.register(this.coursesPersonalData);
    this.facts.register(this.completedCourses);
  }
}
