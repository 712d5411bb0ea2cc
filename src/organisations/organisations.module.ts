import { Module, OnModuleInit } from '@nestjs/common';
import { AreasController, OrganisationsController } from 'src/organisations/organisations.controller';
import { OrganisationsPagesController } from 'src/organisations/organisations.pages.controller';
import { OrganisationsService } from 'src/organisations/organisations.service';
import { OrganisationsPersonalData } from 'src/organisations/organisations.personal-data';
import { PersonalDataRegistry } from 'src/privacy/personal-data.registry';

@Module({
  controllers: [AreasController, OrganisationsController, OrganisationsPagesController],
  providers: [OrganisationsPersonalData, OrganisationsService],
  exports: [OrganisationsService],
})
export class OrganisationsModule implements OnModuleInit {
  constructor(
    private readonly personalData: PersonalDataRegistry,
    private readonly organisationsPersonalData: OrganisationsPersonalData,
  ) {}

  onModuleInit(): void {
    this.personalData.register(this.organisationsPersonalData);
  }
}
