import { Global, Module, OnModuleInit } from '@nestjs/common';
import { AuditController } from 'src/audit/audit.controller';
import { AuditPagesController } from 'src/audit/audit.pages.controller';
import { AuditService } from 'src/audit/audit.service';
import { AuditPersonalData } from 'src/audit/audit.personal-data';
import { PersonalDataRegistry } from 'src/privacy/personal-data.registry';

@Global()
@Module({
  controllers: [AuditController, AuditPagesController],
  providers: [AuditPersonalData, AuditService],
  exports: [AuditService],
})
export class AuditModule implements OnModuleInit {
  constructor(
    private readonly personalData: PersonalDataRegistry,
    private readonly auditPersonalData: AuditPersonalData,
  ) {}

  onModuleInit(): void {
    this.personalData.register(this.auditPersonalData);
  }
}
