import { Module } from '@nestjs/common';
import { HomePagesController } from 'src/home/home.pages.controller';
import { OrganisationsModule } from 'src/organisations/organisations.module';
import { UsersModule } from 'src/users/users.module';

@Module({ imports: [UsersModule, OrganisationsModule], controllers: [HomePagesController] })
export class HomeModule {}
