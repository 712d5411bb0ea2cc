import { Module } from '@nestjs/common';
import { AreasController, OrganisationsController } from 'src/organisations/organisations.controller';
import { OrganisationsPagesController } from 'src/organisations/organisations.pages.controller';
import { OrganisationsService } from 'src/organisations/organisations.service';

@Module({
  controllers: [AreasController, OrganisationsController, OrganisationsPagesController],
  providers: [OrganisationsService],
  exports: [OrganisationsService],
})
export class OrganisationsModule {}
