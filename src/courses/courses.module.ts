import { Module } from '@nestjs/common';
import { CompletionPolicyModule } from 'src/courses/completion-policy.module';
import { CoursesController, QualificationsController } from 'src/courses/courses.controller';
import { CoursesService } from 'src/courses/courses.service';
import { FacilitatorModule } from 'src/courses/facilitator/facilitator.module';
import { FoundationModule } from 'src/courses/foundation/foundation.module';
import { SupervisionModule } from 'src/courses/supervision/supervision.module';
import { UsersModule } from 'src/users/users.module';

/** The catalogue of course versions, accreditations and completions, with one module per course for its policy. */
@Module({
  imports: [CompletionPolicyModule, FoundationModule, SupervisionModule, FacilitatorModule, UsersModule],
  controllers: [CoursesController, QualificationsController],
  providers: [CoursesService],
  exports: [CoursesService],
})
export class CoursesModule {}
