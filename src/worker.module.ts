import { Module } from '@nestjs/common';
import { AppModule } from 'src/app.module';
import { CertificatesWorkerModule } from 'src/certificates/certificates.worker.module';
import { CohortsWorkerModule } from 'src/cohorts/cohorts.worker.module';
import { CoursesWorkerModule } from 'src/courses/courses.worker.module';
import { EventsWorkerModule } from 'src/events/events.worker.module';
import { PrivacyWorkerModule } from 'src/privacy/privacy.worker.module';
import { ReportsWorkerModule } from 'src/reports/reports.worker.module';

/** The web app's services plus each feature's processors; workers start once every job has one handler. */
@Module({
  imports: [
    AppModule,
    EventsWorkerModule,
    CohortsWorkerModule,
    CoursesWorkerModule,
    CertificatesWorkerModule,
    ReportsWorkerModule,
    PrivacyWorkerModule,
  ],
})
export class WorkerModule {}
