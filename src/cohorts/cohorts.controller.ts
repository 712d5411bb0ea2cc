import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from 'src/common/access.decorators';
import { ParseArrayBodyPipe } from 'src/common/parse-array-body.pipe';
import type { AuthUser } from 'src/common/request-context';
import { AttendanceService } from 'src/cohorts/attendance.service';
import { BulkEnrolmentService } from 'src/cohorts/bulk-enrolment.service';
import { cohortView, openCohortView, sessionView } from 'src/cohorts/cohort.view';
import { CohortsService } from 'src/cohorts/cohorts.service';
import {
  AddFacilitatorDto,
  AttendanceEntryDto,
  BulkEnrolmentDto,
  CreateCohortDto,
  EnrolDto,
  ListCohortsQuery,
  ListEnrolmentsQuery,
  OpenCohortsQuery,
  SessionsInputDto,
  UpdateCohortDto,
  UpdateSessionDto,
} from 'src/cohorts/dto/cohort.dto';
import { EnrolmentsService } from 'src/cohorts/enrolments.service';
import { ProgressService } from 'src/cohorts/progress.service';

@ApiTags('cohorts')
@Controller('api/v1/cohorts')
export class CohortsController {
  constructor(
    private readonly cohorts: CohortsService,
    private readonly enrolments: EnrolmentsService,
    private readonly progress: ProgressService,
    private readonly bulk: BulkEnrolmentService,
  ) {}

  @Post()
  @Roles('admin', 'training_lead')
  async create(@CurrentUser() actor: AuthUser, @Body() dto: CreateCohortDto) {
    return cohortView(await this.cohorts.create(actor, dto));
  }

  /** Open cohorts with places left, for trainees to ask for a place. */
  @Get('open')
  @Roles('trainee')
  async listOpen(@CurrentUser() actor: AuthUser, @Query() query: OpenCohortsQuery) {
    return (await this.cohorts.listOpen(actor, query)).map(openCohortView);
  }

  @Get()
  async list(@CurrentUser() actor: AuthUser, @Query() query: ListCohortsQuery) {
    const cohorts = await this.cohorts.list(actor, query);
    return cohorts.map((cohort) => ({
      id: cohort.id,
      title: cohort.title,
      courseCode: cohort.courseVersion?.courseCode,
      status: cohort.status,
      capacity: cohort.capacity,
      enrolled: cohort.enrolledCount,
      deliveryMode: cohort.deliveryMode,
      organisation: { id: cohort.organisationId, name: cohort.organisation?.name },
      area: { id: cohort.areaId, name: cohort.area?.name },
      nextSessionAt: cohort.nextSessionAt,
    }));
  }

  @Get(':id')
  async get(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return cohortView(await this.cohorts.detail(actor, id));
  }

  @Patch(':id')
  @Roles('admin', 'training_lead')
  async update(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateCohortDto,
  ) {
    return cohortView(await this.cohorts.update(actor, id, dto));
  }

  @Post(':id/sessions')
  @Roles('admin', 'training_lead')
  async addSessions(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: SessionsInputDto,
  ) {
    return cohortView(await this.cohorts.addSessions(actor, id, dto));
  }

  @Post(':id/facilitators')
  @Roles('admin', 'training_lead')
  async addFacilitator(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: AddFacilitatorDto,
  ) {
    return cohortView(await this.cohorts.addFacilitator(actor, id, dto));
  }

  @Delete(':id/facilitators/:userId')
  @Roles('admin', 'training_lead')
  async removeFacilitator(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('userId', ParseUUIDPipe) userId: string,
  ) {
    return cohortView(await this.cohorts.removeFacilitator(actor, id, userId));
  }

  @Post(':id/enrolments')
  enrol(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: EnrolDto) {
    return this.enrolments.enrol(actor, id, dto.traineeId);
  }

  /** A list of people: matched by e-mail or invited, then enrolled or wait-listed in order; each row answered. */
  @Post(':id/enrolments/bulk')
  @HttpCode(200)
  @Roles('admin', 'training_lead')
  bulkEnrol(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: BulkEnrolmentDto,
  ) {
    return this.bulk.enrol(actor, id, dto.people, dto.dryRun ?? false);
  }

  @Get(':id/enrolments')
  listEnrolments(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: ListEnrolmentsQuery,
  ) {
    return this.enrolments.list(actor, id, query);
  }

  @Delete(':id/enrolments/:enrolmentId')
  async withdraw(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('enrolmentId', ParseUUIDPipe) enrolmentId: string,
  ) {
    return (await this.enrolments.withdraw(actor, id, enrolmentId)).withdrawn;
  }

  @Get(':id/progress')
  cohortProgress(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.progress.forCohort(actor, id);
  }
}

@ApiTags('cohorts')
@Controller('api/v1')
export class EnrolmentsController {
  constructor(
    private readonly enrolments: EnrolmentsService,
    private readonly progress: ProgressService,
    private readonly cohorts: CohortsService,
    private readonly attendance: AttendanceService,
  ) {}

  @Get('enrolments/:id/progress')
  enrolmentProgress(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.progress.forEnrolment(actor, id);
  }

  @Post('enrolments/:id/approve')
  @HttpCode(200)
  @Roles('admin', 'training_lead')
  approve(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.enrolments.approve(actor, id);
  }

  @Post('enrolments/:id/decline')
  @HttpCode(200)
  @Roles('admin', 'training_lead')
  decline(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.enrolments.decline(actor, id);
  }

  @Patch('sessions/:id')
  @Roles('admin', 'training_lead')
  async updateSession(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateSessionDto,
  ) {
    return sessionView(await this.cohorts.updateSession(actor, id, dto));
  }

  @Get('sessions/:id/attendance')
  async register(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return (await this.attendance.register(actor, id)).rows;
  }

  @Put('sessions/:id/attendance')
  @ApiBody({ type: [AttendanceEntryDto] })
  recordAttendance(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body(new ParseArrayBodyPipe(AttendanceEntryDto, 500)) entries: AttendanceEntryDto[],
  ) {
    return this.attendance.record(actor, id, entries);
  }
}
