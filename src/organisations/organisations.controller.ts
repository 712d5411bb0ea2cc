import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from 'src/common/access.decorators';
import { ParseArrayBodyPipe } from 'src/common/parse-array-body.pipe';
import type { AuthUser } from 'src/common/request-context';
import {
  CreateAreaDto,
  CreateOrganisationDto,
  UpdateAreaDto,
  UpdateOrganisationDto,
  WorkforceBaselineDto,
} from 'src/organisations/dto/organisation.dto';
import { OrganisationsService } from 'src/organisations/organisations.service';
import { PROFESSIONS } from 'src/users/profession';

@ApiTags('areas')
@Controller('api/v1/areas')
export class AreasController {
  constructor(private readonly organisations: OrganisationsService) {}

  @Post()
  @Roles('admin')
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateAreaDto) {
    return this.organisations.createArea(user, dto);
  }

  @Get()
  @Roles('admin', 'training_lead', 'commissioner')
  list(@CurrentUser() user: AuthUser) {
    return this.organisations.listAreas(user);
  }

  @Get(':id')
  @Roles('admin', 'training_lead')
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.organisations.getArea(id);
  }

  @Patch(':id')
  @Roles('admin')
  update(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateAreaDto) {
    return this.organisations.updateArea(user, id, dto);
  }

  @Get(':id/workforce-baselines')
  @Roles('admin', 'training_lead')
  baselines(@Param('id', ParseUUIDPipe) id: string) {
    return this.organisations.baselines(id);
  }

  @Put(':id/workforce-baselines')
  @Roles('admin')
  @ApiBody({ type: [WorkforceBaselineDto] })
  replaceBaselines(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body(new ParseArrayBodyPipe(WorkforceBaselineDto, PROFESSIONS.length)) baselines: WorkforceBaselineDto[],
  ) {
    return this.organisations.replaceBaselines(user, id, baselines);
  }
}

@ApiTags('organisations')
@Controller('api/v1/organisations')
export class OrganisationsController {
  constructor(private readonly organisations: OrganisationsService) {}

  @Post()
  @Roles('admin')
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateOrganisationDto) {
    return this.organisations.createOrganisation(user, dto);
  }

  @Get()
  @Roles('admin', 'training_lead')
  list(@Query('areaId', new ParseUUIDPipe({ optional: true })) areaId?: string) {
    return this.organisations.listOrganisations(areaId);
  }

  @Get(':id')
  @Roles('admin', 'training_lead')
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.organisations.getOrganisation(id);
  }

  @Patch(':id')
  @Roles('admin')
  update(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateOrganisationDto,
  ) {
    return this.organisations.updateOrganisation(user, id, dto);
  }
}
