import { Module } from '@nestjs/common';
import { JobHandlersModule } from 'src/common/job-handlers.module';
import { APP_CONFIG, AppConfig } from 'src/config/app-config';
import { CertificatesModule } from 'src/certificates/certificates.module';
import { CertificatesProcessor, RENDER_POOL } from 'src/certificates/certificates.processor';
import { createRenderPool } from 'src/certificates/render-pool';

/** The certificate render processor and its threads, for the worker process only. */
@Module({
  imports: [CertificatesModule, JobHandlersModule],
  providers: [
    CertificatesProcessor,
    {
      provide: RENDER_POOL,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => createRenderPool(config.RENDER_THREADS),
    },
  ],
})
export class CertificatesWorkerModule {}
