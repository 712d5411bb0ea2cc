import { BullModule } from '@nestjs/bullmq';
import { Module, OnModuleInit } from '@nestjs/common';
import { QUEUES } from 'src/common/queues';
import { CoursesModule } from 'src/courses/courses.module';
import { CohortsModule } from 'src/cohorts/cohorts.module';
import { EventsModule } from 'src/events/events.module';
import { CertificateKeysController, CertificatesController } from 'src/certificates/certificates.controller';
import { CertificatesPagesController } from 'src/certificates/certificates.pages.controller';
import { CertificatesService } from 'src/certificates/certificates.service';
import { CohortCertificatesPagesController } from 'src/certificates/cohort-certificates.pages.controller';
import { MyCertificatesPagesController } from 'src/certificates/my-certificates.pages.controller';
import { UsersModule } from 'src/users/users.module';
import { CertificatesPersonalData } from 'src/certificates/certificates.personal-data';
import { PersonalDataRegistry } from 'src/privacy/personal-data.registry';
import { CertificatesRetention } from 'src/certificates/certificates.retention';
import { RetentionRegistry } from 'src/privacy/retention.registry';

/** Certificates: issued by a lead, made as PDFs in the worker, verifiable by anyone. */
@Module({
  imports: [
    BullModule.registerQueue({ name: QUEUES.certificates }),
    CohortsModule,
    CoursesModule,
    EventsModule,
    UsersModule,
  ],
  controllers: [
    CertificatesController,
    CertificateKeysController,
    CertificatesPagesController,
    CohortCertificatesPagesController,
    MyCertificatesPagesController,
  ],
  providers: [CertificatesPersonalData, CertificatesRetention, CertificatesService],
  exports: [CertificatesService, BullModule],
})
export class CertificatesModule implements OnModuleInit {
  constructor(
    private readonly personalData: PersonalDataRegistry,
    private readonly certificatesPersonalData: CertificatesPersonalData,
    private readonly retention: RetentionRegistry,
    private readonly certificatesRetention: CertificatesRetention,
  ) {}

  onModuleInit(): void {
    this.personalData.register(this.certificatesPersonalData);
    this.retention.register(this.certificatesRetention);
  }
}
