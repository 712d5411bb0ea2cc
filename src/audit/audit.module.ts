import { Global, Module, OnModuleInit } from '@nestjs/common';
import { AuditController } from 'src/audit/audit.controller';
import { AuditPagesController } from 'src/audit/audit.pages.controller';
import { AuditService } from 'src/audit/audit.service';
import { AuditPersonalData } from 'src/audit/audit.personal-data';
import { PersonalDataRegistry } from 'src/privacy/personal-data.registry';
import { AuditRetention } from 'src/audit/audit.retention';
import { RetentionRegistry } from 'src/privacy/retention.registry';

@Global()
@Module({
  controllers: [AuditController, AuditPagesController],
  providers: [AuditPersonalData, AuditRetention, AuditService],
  exports: [AuditService],
})
export class AuditModule implements OnModuleInit {
  constructor(
    private readonly personalData: PersonalDataRegistry,
    private readonly auditPersonalData: AuditPersonalData,
    private readonly retention: RetentionRegistry,
    private readonly auditRetention: AuditRetention,
  ) {}

  onModuleInit(): void {
    this.personalData.register(this.auditPersonalData);
    this.retention.register(this.auditRetention);
  }
}
