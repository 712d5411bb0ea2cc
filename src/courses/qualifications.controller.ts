import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from 'src/common/access.decorators';
import type { AuthUser } from 'src/common/request-context';
import {
  NearExpiryQueryDto,
  RecordAccreditationDto,
  RecordCompletionDto,
  RenewAccreditationDto,
} from 'src/courses/dto/course.dto';
import { QualificationsService } from 'src/courses/qualifications.service';
import { UsersService } from 'src/users/users.service';

/** What a person holds: accreditations to deliver a course, and completions from before the platform. */
@ApiTags('users')
@Controller('api/v1/users/:id')
@Roles('admin', 'training_lead')
export class QualificationsController {
  constructor(
    private readonly qualifications: QualificationsService,
    private readonly users: UsersService,
  ) {}

  @Get('accreditations')
  async accreditations(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    await this.users.get(actor, id);
    return this.qualifications.accreditations(id);
  }

  @Post('accreditations')
  async recordAccreditation(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: RecordAccreditationDto,
  ) {
    await this.users.get(actor, id);
    return this.qualifications.recordAccreditation(actor, id, dto);
  }

  @Get('completions')
  async completions(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    await this.users.get(actor, id);
    return this.qualifications.completions(id);
  }

  @Post('completions')
  async recordCompletion(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: RecordCompletionDto,
  ) {
    await this.users.get(actor, id);
    return this.qualifications.recordCompletion(actor, id, dto);
  }
}

/** Accreditations across an organisation: those near expiry, and their renewal. */
@ApiTags('accreditations')
@Controller('api/v1/accreditations')
@Roles('admin', 'training_lead')
export class AccreditationsController {
  constructor(private readonly qualifications: QualificationsService) {}

  /** Expiring within `withinDays` (90 unless asked) or expired no longer ago, soonest first. */
  @Get()
  nearExpiry(@CurrentUser() actor: AuthUser, @Query() query: NearExpiryQueryDto) {
    return this.qualifications.nearExpiry(actor, query.withinDays);
  }

  @Post(':id/renewals')
  @HttpCode(201)
  renew(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: RenewAccreditationDto,
  ) {
    return this.qualifications.renew(actor, id, dto);
  }
}
