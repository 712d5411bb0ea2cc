import {
  Body,
  Controller,
  Get,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Redirect,
  Render,
  Req,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentUser, Roles } from 'src/common/access.decorators';
import { formList, formText, options } from 'src/common/form-options';
import { answerForm } from 'src/common/form-submission';
import { setFlash, submittedValues } from 'src/common/page-context';
import { AuthUser, hasRole } from 'src/common/request-context';
import { formValue, validateForm, ValidationFailedException } from 'src/common/validation';
import { COHORT_STATUSES, CohortStatus } from 'src/cohorts/cohort.entity';
import {
  cohortPageView,
  cohortStatusTag,
  COHORT_STATUS_LABELS,
  courseName,
  newCohortFormView,
  STATUS_DONE,
} from 'src/cohorts/cohorts.presenter';
import { CohortsService } from 'src/cohorts/cohorts.service';
import { CreateCohortDto, ListCohortsQuery, UpdateCohortDto } from 'src/cohorts/dto/cohort.dto';
import { EnrolmentsService } from 'src/cohorts/enrolments.service';
import { readSchedule, SCHEDULE_FIELDS, scheduleErrorsFromDto } from 'src/cohorts/schedule.form';
import { COURSE_CODES, COURSE_NAMES } from 'src/courses/course-code';
import { CoursesService } from 'src/courses/courses.service';
import { OrganisationsService } from 'src/organisations/organisations.service';
import { UsersService } from 'src/users/users.service';

type FormBody = Record<string, unknown>;

const CREATE_FIELDS = [
  'courseCode',
  'title',
  'organisationId',
  'areaId',
  'capacity',
  'deliveryMode',
  'venue',
  'facilitatorIds',
  ...SCHEDULE_FIELDS,
];

/** The cohort list, creating a cohort, its page, its status and its details. */
@ApiExcludeController()
@Controller()
export class CohortsPagesController {
  constructor(
    private readonly cohorts: CohortsService,
    private readonly enrolments: EnrolmentsService,
    private readonly users: UsersService,
    private readonly organisations: OrganisationsService,
    private readonly courses: CoursesService,
  ) {}

  @Get('cohorts')
  @Roles('admin', 'training_lead')
  @Render('cohorts/index')
  async index(@CurrentUser() actor: AuthUser, @Query() raw: Record<string, unknown>) {
    const picked: Record<string, string> = {};
    for (const key of ['status', 'course', 'areaId', 'q'] as const) {
      const value = formText(raw[key]);
      if (value !== '') picked[key] = value;
    }
    // A filter that is not understood is left out, with a message, rather than refusing the whole page.
    const { errors } = await validateForm(ListCohortsQuery, picked);
    for (const key of Object.keys(errors ?? {})) delete picked[key];
    const query = picked as ListCohortsQuery;
    const [cohorts, areas] = await Promise.all([
      this.cohorts.list(actor, query),
      this.organisations.listAreas(actor),
    ]);
    return {
      title: 'Cohorts',
      query,
      filterErrors: Object.values(errors ?? {}).map((messages) => messages[0]),
      statusOptions: options(COHORT_STATUSES, COHORT_STATUS_LABELS, query.status),
      courseOptions: options(COURSE_CODES, COURSE_NAMES, query.course),
      areaOptions: areas.map((area) => ({
        value: area.id,
        text: area.name,
        selected: area.id === query.areaId,
      })),
      cohorts: cohorts.map((cohort) => ({
        id: cohort.id,
        title: cohort.title,
        course: courseName(cohort.courseVersion?.courseCode),
        ...cohortStatusTag(cohort.status),
        enrolled: cohort.enrolledCount,
        capacity: cohort.capacity,
        nextSessionAt: cohort.nextSessionAt,
        organisation: cohort.organisation?.name ?? '',
        area: cohort.area?.name ?? '',
      })),
    };
  }

  @Get('cohorts/new')
  @Roles('admin', 'training_lead')
  @Render('cohorts/form')
  async newCohort(@CurrentUser() actor: AuthUser, @Req() request: FastifyRequest) {
    const [courses, hosts, areas, facilitators] = await Promise.all([
      this.courses.listCurrent(),
      this.cohorts.hostsFor(actor),
      this.organisations.listAreas(actor),
      this.users.pickable(actor, 'facilitator'),
    ]);
    return {
      title: 'Create a cohort',
      ...newCohortFormView({ courses, hosts, areas, facilitators, values: submittedValues(request) }),
    };
  }

  @Post('cohorts')
  @Roles('admin', 'training_lead')
  @Redirect()
  async create(@CurrentUser() actor: AuthUser, @Body() body: FormBody, @Req() request: FastifyRequest) {
    const values: FormBody = { ...body, facilitatorIds: formList(body.facilitatorIds) };
    const courses = await this.courses.listCurrent();
    const course = courses.find((c) => c.courseCode === values.courseCode);
    const schedule = readSchedule(values, course?.rules.sessions);
    const toFormFields = (errors: Record<string, string[]>) => scheduleErrorsFromDto(errors, schedule.mode);
    const form = { url: '/cohorts/new', values, fields: CREATE_FIELDS, toFormFields };
    return answerForm(request, form, async () => {
      const { value, errors } = await validateForm(CreateCohortDto, {
        courseCode: values.courseCode,
        title: values.title,
        organisationId: values.organisationId,
        areaId: values.areaId,
        capacity: values.capacity,
        deliveryMode: values.deliveryMode,
        venue: values.venue,
        facilitatorIds: values.facilitatorIds,
        ...schedule.input,
      });
      const refused = { ...scheduleErrorsFromDto(errors, schedule.mode), ...schedule.errors };
      if (Object.keys(refused).length > 0) throw new ValidationFailedException(refused);
      const detail = await this.cohorts.create(actor, value);
      const count = detail.sessions.length;
      setFlash(request, {
        kind: 'success',
        text: `${detail.cohort.title} has been created as a draft with ${count} session${count === 1 ? '' : 's'}.`,
      });
      return `/cohorts/${detail.cohort.id}`;
    });
  }

  @Get('cohorts/:id')
  @Render('cohorts/show')
  async show(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Req() request: FastifyRequest,
  ) {
    const detail = await this.cohorts.detail(actor, id);
    const { access, actions } = detail;
    const [enrolments, trainees, facilitators] = await Promise.all([
      access.manage || access.facilitate || access.enrolled ? this.enrolments.list(actor, id, {}) : [],
      actions.edit ? this.users.pickable(actor, 'trainee') : [],
      actions.edit ? this.users.pickable(actor, 'facilitator') : [],
    ]);
    const lists = hasRole(actor, 'admin', 'training_lead');
    return {
      title: detail.cohort.title,
      backHref: lists ? '/cohorts' : '/',
      backText: lists ? 'All cohorts' : 'Dashboard',
      ...cohortPageView({
        detail,
        enrolments,
        viewerId: actor.id,
        trainees,
        facilitators,
        values: submittedValues(request),
      }),
    };
  }

  @Post('cohorts/:id/status')
  @Roles('admin', 'training_lead')
  @Redirect()
  async changeStatus(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: FormBody,
    @Req() request: FastifyRequest,
  ) {
    return answerForm(request, { url: `/cohorts/${id}`, values: {}, fields: ['status'] }, async () => {
      const { status } = await formValue(UpdateCohortDto, { status: body.status });
      await this.cohorts.update(actor, id, { status });
      setFlash(request, { kind: 'success', text: STATUS_DONE[status!] ?? 'The status has been changed.' });
      return `/cohorts/${id}`;
    });
  }

  @Get('cohorts/:id/cancel')
  @Roles('admin', 'training_lead')
  @Render('cohorts/cancel')
  async confirmCancel(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    const detail = await this.cohorts.managedDetail(actor, id);
    const { cohort } = detail;
    return {
      title: `Cancel ${cohort.title}`,
      cohort: { id: cohort.id, title: cohort.title },
      cancellable: detail.actions.cancel,
      statusLabel: COHORT_STATUS_LABELS[cohort.status],
      counts: detail.counts,
      scheduled: detail.sessions.filter((session) => session.status === 'scheduled').length,
    };
  }

  @Post('cohorts/:id/cancel')
  @Roles('admin', 'training_lead')
  @Redirect()
  async cancel(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Req() request: FastifyRequest,
  ) {
    return answerForm(
      request,
      { url: `/cohorts/${id}/cancel`, values: {}, fields: ['confirm'] },
      async () => {
        await this.cohorts.update(actor, id, { status: 'cancelled' satisfies CohortStatus });
        setFlash(request, {
          kind: 'success',
          text: 'The cohort has been cancelled. Its trainees and facilitators have been told by e-mail.',
        });
        return `/cohorts/${id}`;
      },
    );
  }

  @Get('cohorts/:id/edit')
  @Roles('admin', 'training_lead')
  @Render('cohorts/edit')
  async edit(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Req() request: FastifyRequest,
  ) {
    const { cohort, actions } = await this.cohorts.managedDetail(actor, id);
    return {
      title: `Change ${cohort.title}`,
      cohort: { id: cohort.id, title: cohort.title },
      editable: actions.edit,
      current: {
        title: cohort.title,
        capacity: String(cohort.capacity),
        venue: cohort.venue ?? '',
        ...submittedValues(request),
      },
    };
  }

  @Post('cohorts/:id/edit')
  @Roles('admin', 'training_lead')
  @Redirect()
  async update(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: FormBody,
    @Req() request: FastifyRequest,
  ) {
    await this.cohorts.assertCanManage(actor, id);
    const values = { title: body.title, capacity: body.capacity, venue: body.venue };
    const form = { url: `/cohorts/${id}/edit`, values, fields: ['title', 'capacity', 'venue'] };
    return answerForm(request, form, async () => {
      const { promoted } = await this.cohorts.update(actor, id, await formValue(UpdateCohortDto, values));
      const count = promoted.length;
      setFlash(request, {
        kind: 'success',
        text: `The cohort has been saved.${count > 0 ? ` ${count} ${count === 1 ? 'person' : 'people'} on the waiting list now ${count === 1 ? 'has a place' : 'have places'}.` : ''}`,
      });
      return `/cohorts/${id}`;
    });
  }
}
