import { Global, Module } from '@nestjs/common';
import { AuditController } from 'src/audit/audit.controller';
import { AuditPagesController } from 'src/audit/audit.pages.controller';
import { AuditService } from 'src/audit/audit.service';

@Global()
@Module({
  controllers: [AuditController, AuditPagesController],
  providers: [AuditService],
  exports: [AuditService],
})
export class AuditModule {}
