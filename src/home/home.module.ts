import { Module } from '@nestjs/common';
import { HomePagesController } from 'src/home/home.pages.controller';
import { LogbooksModule } from 'src/logbooks/logbooks.module';
import { OrganisationsModule } from 'src/organisations/organisations.module';
import { ReportsModule } from 'src/reports/reports.module';
import { UsersModule } from 'src/users/users.module';

@Module({
  imports: [UsersModule, OrganisationsModule, LogbooksModule, ReportsModule],
  controllers: [HomePagesController],
})
export class HomeModule {}
