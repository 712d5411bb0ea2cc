import { Module } from '@nestjs/common';
import { JobHandlersModule } from 'src/common/job-handlers.module';
import { CertificatesModule } from 'src/certificates/certificates.module';
import { CertificatesProcessor, RENDER_POOL } from 'src/certificates/certificates.processor';
import { createRenderPool } from 'src/certificates/render-pool';
import { EventsModule } from 'src/events/events.module';

/** The certificate render processor and its threads, for the worker process only. */
@Module({
  imports: [CertificatesModule, EventsModule, JobHandlersModule],
  providers: [CertificatesProcessor, { provide: RENDER_POOL, useFactory: () => createRenderPool() }],
})
export class CertificatesWorkerModule {}
