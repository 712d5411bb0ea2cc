import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { AuditModule } from 'src/audit/audit.module';
import { AuthModule } from 'src/auth/auth.module';
import { CertificatesModule } from 'src/certificates/certificates.module';
import { AccessGuard } from 'src/common/access.guard';
import { AllExceptionsFilter } from 'src/common/all-exceptions.filter';
import { CsrfGuard } from 'src/common/csrf.guard';
import { PageContextInterceptor } from 'src/common/page-context.interceptor';
import { QueueRootModule } from 'src/common/queues';
import { RedisModule } from 'src/common/redis.module';
import { CohortsModule } from 'src/cohorts/cohorts.module';
import { CompetenciesModule } from 'src/competencies/competencies.module';
import { ConfigModule } from 'src/config/config.module';
import { CoursesModule } from 'src/courses/courses.module';
import { DatabaseModule } from 'src/database/database.module';
import { HealthModule } from 'src/health/health.module';
import { HomeModule } from 'src/home/home.module';
import { LogbooksModule } from 'src/logbooks/logbooks.module';
import { MaterialsModule } from 'src/materials/materials.module';
import { ReportsModule } from 'src/reports/reports.module';
import { NotificationsModule } from 'src/notifications/notifications.module';
import { OrganisationsModule } from 'src/organisations/organisations.module';
import { PrivacyModule } from 'src/privacy/privacy.module';
import { UsersModule } from 'src/users/users.module';

/** Everything the web process serves. The worker builds on this (worker.module.ts). */
@Module({
  imports: [
    ConfigModule,
    DatabaseModule,
    RedisModule,
    QueueRootModule,
    AuditModule,
    PrivacyModule,
    NotificationsModule,
    OrganisationsModule,
    UsersModule,
    CoursesModule,
    CohortsModule,
    LogbooksModule,
    CertificatesModule,
    CompetenciesModule,
    MaterialsModule,
    ReportsModule,
    AuthModule,
    HomeModule,
    HealthModule,
  ],
  providers: [
    // Guards run in this order: a forged form is refused before anything looks at who sent it.
    { provide: APP_GUARD, useClass: CsrfGuard },
    { provide: APP_GUARD, useClass: AccessGuard },
    { provide: APP_INTERCEPTOR, useClass: PageContextInterceptor },
    { provide: APP_FILTER, useClass: AllExceptionsFilter },
  ],
})
export class AppModule {}
