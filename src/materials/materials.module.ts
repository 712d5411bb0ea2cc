import { Module, OnModuleInit } from '@nestjs/common';
import { CohortsModule } from 'src/cohorts/cohorts.module';
import { EventsModule } from 'src/events/events.module';
import { UsersModule } from 'src/users/users.module';
import { OrganisationsModule } from 'src/organisations/organisations.module';
import { LicenceReportController } from 'src/materials/licence-report.controller';
import { LicenceReportService } from 'src/materials/licence-report.service';
import { MaterialDownloadsService } from 'src/materials/material-downloads.service';
import { MaterialIssuesService } from 'src/materials/material-issues.service';
import { MaterialsController } from 'src/materials/materials.controller';
import { MaterialsPagesController } from 'src/materials/materials.pages.controller';
import { MaterialsService } from 'src/materials/materials.service';
import { MyMaterialsPagesController } from 'src/materials/my-materials.pages.controller';
import { PrintOrdersController } from 'src/materials/print-orders.controller';
import { PrintOrdersPagesController } from 'src/materials/print-orders.pages.controller';
import { PrintOrdersService } from 'src/materials/print-orders.service';
import { MaterialsPersonalData } from 'src/materials/materials.personal-data';
import { PersonalDataRegistry } from 'src/privacy/personal-data.registry';
import { MaterialsRetention } from 'src/materials/materials.retention';
import { RetentionRegistry } from 'src/privacy/retention.registry';

/**
 * Licensed manuals and handbooks: the catalogue and its editions, who holds which (from the cohorts' events),
 * personalised downloads with their ledger, and printed copies.
 */
@Module({
  imports: [CohortsModule, EventsModule, OrganisationsModule, UsersModule],
  controllers: [
    MaterialsController,
    MaterialsPagesController,
    MyMaterialsPagesController,
    PrintOrdersController,
    PrintOrdersPagesController,
    LicenceReportController,
  ],
  providers: [
    MaterialsPersonalData,
    MaterialsRetention,
    MaterialsService,
    MaterialIssuesService,
    MaterialDownloadsService,
    PrintOrdersService,
    LicenceReportService,
  ],
  exports: [MaterialsService, MaterialIssuesService, PrintOrdersService],
})
export class MaterialsModule implements OnModuleInit {
  constructor(
    private readonly personalData: PersonalDataRegistry,
    private readonly materialsPersonalData: MaterialsPersonalData,
    private readonly retention: RetentionRegistry,
    private readonly materialsRetention: MaterialsRetention,
  ) {}

  onModuleInit(): void {
    this.personalData.register(this.materialsPersonalData);
    this.retention.register(this.materialsRetention);
  }
}
