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
import { DateTime } from 'luxon';
import { CurrentUser, Roles } from 'src/common/access.decorators';
import { DomainErrorCode, DomainException, forbidden, notFound } from 'src/common/domain.exception';
import { options } from 'src/common/form-options';
import { backToForm, PageRedirect, redirectTo, submitForm } from 'src/common/form-submission';
import { setFlash } from 'src/common/page-context';
import { AuthUser, hasRole } from 'src/common/request-context';
import type { Role } from 'src/common/role';
import { FieldErrors, validateForm, ValidationFailedException } from 'src/common/validation';
import { canRunRegister } from 'src/cohorts/cohort-access';
import { COHORT_STATUSES, CohortStatus, DELIVERY_MODES, DeliveryMode } from 'src/cohorts/cohort.entity';
import { FACILITATOR_ROLES, FacilitatorRole } from 'src/cohorts/cohort-facilitator.entity';
import { CohortsService } from 'src/cohorts/cohorts.service';
import {
  AddFacilitatorDto,
  CreateCohortDto,
  EnrolDto,
  ListCohortsQuery,
  SessionsInputDto,
  UpdateCohortDto,
  UpdateSessionDto,
} from 'src/cohorts/dto/cohort.dto';
import { ACTIVE_ENROLMENT_STATUSES } from 'src/cohorts/enrolment.entity';
import { EnrolmentsService, EnrolmentView } from 'src/cohorts/enrolments.service';
import { describeSessionTime, fromLondonInput, LONDON, londonIso } from 'src/cohorts/schedule';
import { COURSE_CODES, COURSE_NAMES } from 'src/courses/course-code';
import { CoursesService } from 'src/courses/courses.service';
import { OrganisationsService } from 'src/organisations/organisations.service';
import { UsersService } from 'src/users/users.service';

type FormBody = Record<string, unknown>;

const STATUS_LABELS: Record<CohortStatus, string> = {
  draft: 'Draft',
  open: 'Open',
  in_progress: 'In progress',
  completed: 'Completed',
  cancelled: 'Cancelled',
};

const STATUS_TAG_COLOURS: Record<CohortStatus, string> = {
  draft: 'grey',
  open: 'green',
  in_progress: 'blue',
  completed: 'purple',
  cancelled: 'red',
};

const DELIVERY_LABELS: Record<DeliveryMode, string> = {
  in_person: 'In person',
  online: 'Online',
  blended: 'Blended (in person and online)',
};

const FACILITATOR_ROLE_LABELS: Record<FacilitatorRole, string> = {
  lead: 'Lead facilitator',
  co: 'Co-facilitator',
  trainee_facilitator: 'Trainee facilitator',
};

/**
 * The status buttons a manager sees. The service decides what is allowed; this only chooses which buttons to
 * offer. Cancelling has its own confirmation page.
 */
const NEXT_STATUS: Record<CohortStatus, Array<{ status: CohortStatus; text: string }>> = {
  draft: [{ status: 'open', text: 'Open for enrolment' }],
  open: [{ status: 'in_progress', text: 'Start the cohort' }],
  in_progress: [{ status: 'completed', text: 'Mark as completed' }],
  completed: [],
  cancelled: [],
};
const BUTTON_STATUSES: CohortStatus[] = ['open', 'in_progress', 'completed'];
const STATUS_DONE: Partial<Record<CohortStatus, string>> = {
  open: 'The cohort is open: trainees can now ask for a place.',
  in_progress: 'The cohort has started.',
  completed: 'The cohort is completed. Trainees who met every requirement have completed the course.',
};

const CREATE_FIELDS = [
  'courseCode',
  'title',
  'organisationId',
  'areaId',
  'capacity',
  'deliveryMode',
  'venue',
  'facilitatorIds',
  ...scheduleFields(),
];

function scheduleFields() {
  return [
    'scheduleMode',
    'firstDate',
    'startTime',
    'durationMinutes',
    'count',
    'intervalWeeks',
    'sessionLines',
  ];
}

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
      const value = text(raw[key]);
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
      statusOptions: options(COHORT_STATUSES, STATUS_LABELS, query.status),
      courseOptions: options(COURSE_CODES, COURSE_NAMES, query.course),
      areaOptions: areas.map((area) => ({
        value: area.id,
        text: area.name,
        selected: area.id === query.areaId,
      })),
      cohorts: cohorts.map((cohort) => ({
        id: cohort.id,
        title: cohort.title,
        course: cohort.courseVersion ? COURSE_NAMES[cohort.courseVersion.courseCode] : '',
        ...statusTag(cohort.status),
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
    const values = submitted(request);
    const isAdmin = hasRole(actor, 'admin');
    const [courses, organisations, areas, facilitators] = await Promise.all([
      this.courses.listCurrent(),
      this.organisations.listOrganisations(),
      this.organisations.listAreas(actor),
      this.activeUsers(actor, 'facilitator'),
    ]);
    const hosts = isAdmin ? organisations : organisations.filter((o) => o.id === actor.organisationId);
    const organisationId =
      typeof values.organisationId === 'string'
        ? values.organisationId
        : hosts.length === 1
          ? hosts[0].id
          : undefined;
    const areaId =
      typeof values.areaId === 'string' ? values.areaId : hosts.find((o) => o.id === organisationId)?.areaId;
    const chosenFacilitators = list(values.facilitatorIds);
    return {
      title: 'Create a cohort',
      isNew: true,
      action: '/cohorts',
      backHref: '/cohorts',
      backText: 'All cohorts',
      canCreate: hosts.length > 0,
      current: { intervalWeeks: '1', ...values, scheduleMode: values.scheduleMode ?? 'weekly' },
      courseOptions: courses.map((course) => ({
        value: course.courseCode,
        text: `${COURSE_NAMES[course.courseCode]} (version ${course.version})`,
        hint: `${course.title}. Usually ${course.rules.sessions} sessions.`,
        selected: values.courseCode === course.courseCode,
      })),
      countHint: `Leave blank for the course’s usual number: ${courses
        .map((course) => `${COURSE_NAMES[course.courseCode]} ${course.rules.sessions}`)
        .join(', ')}.`,
      organisationOptions: hosts.map((organisation) => ({
        value: organisation.id,
        text: organisation.name,
        selected: organisation.id === organisationId,
      })),
      areaOptions: areas.map((area) => ({ value: area.id, text: area.name, selected: area.id === areaId })),
      deliveryOptions: options(DELIVERY_MODES, DELIVERY_LABELS, values.deliveryMode),
      facilitatorOptions: facilitators.map((user) => ({
        value: user.id,
        text: user.organisationName ? `${user.name} (${user.organisationName})` : user.name,
        selected: chosenFacilitators.includes(user.id),
      })),
    };
  }

  @Post('cohorts')
  @Roles('admin', 'training_lead')
  @Redirect()
  async create(@CurrentUser() actor: AuthUser, @Body() body: FormBody, @Req() request: FastifyRequest) {
    const values: FormBody = { ...body, facilitatorIds: list(body.facilitatorIds) };
    const courses = await this.courses.listCurrent();
    const course = courses.find((c) => c.courseCode === values.courseCode);
    const schedule = readSchedule(values, course?.rules.sessions);
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
    const refused = inOrder(
      { ...scheduleErrorsFromDto(errors, schedule.mode), ...schedule.errors },
      CREATE_FIELDS,
    );
    if (Object.keys(refused).length > 0) return backToForm(request, '/cohorts/new', refused, values);
    try {
      const detail = await this.cohorts.create(actor, value);
      const count = detail.sessions.length;
      setFlash(request, {
        kind: 'success',
        text: `${detail.cohort.title} has been created as a draft with ${count} session${count === 1 ? '' : 's'}.`,
      });
      return redirectTo(`/cohorts/${detail.cohort.id}`);
    } catch (error) {
      if (error instanceof ValidationFailedException)
        return backToForm(
          request,
          '/cohorts/new',
          scheduleErrorsFromDto(error.errors, schedule.mode),
          values,
        );
      if (!(error instanceof DomainException)) throw error;
      return backToForm(
        request,
        '/cohorts/new',
        { [createRefusalField(error, schedule.mode)]: [error.message] },
        values,
      );
    }
  }

  @Get('cohorts/:id')
  @Render('cohorts/show')
  async show(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Req() request: FastifyRequest,
  ) {
    const values = submitted(request);
    const detail = await this.cohorts.detail(actor, id);
    const { cohort, access } = detail;
    const runsRegister = canRunRegister(access);
    const editable = isEditable(cohort.status);
    const managing = access.manage && editable;
    const [enrolments, trainees, facilitatorUsers] = await Promise.all([
      runsRegister || access.enrolled ? this.enrolments.list(actor, id, {}) : Promise.resolve([]),
      managing ? this.activeUsers(actor, 'trainee') : Promise.resolve([]),
      managing ? this.activeUsers(actor, 'facilitator') : Promise.resolve([]),
    ]);
    const holding = new Set(
      enrolments.filter((e) => ACTIVE_ENROLMENT_STATUSES.includes(e.status)).map((e) => e.traineeId),
    );
    const assigned = new Set(detail.facilitators.map((f) => f.userId));
    const cohortVenue = cohort.deliveryMode === 'online' ? 'Online' : (cohort.venue ?? 'Not set');
    const person = (e: EnrolmentView) => ({
      id: e.id,
      name: e.traineeName,
      email: e.traineeEmail,
      completed: e.status === 'completed',
      canWithdraw: managing && e.status !== 'completed',
    });
    const mine = !runsRegister ? enrolments.find((e) => e.traineeId === actor.id) : undefined;
    const lists = hasRole(actor, 'admin', 'training_lead');
    return {
      title: cohort.title,
      backHref: lists ? '/cohorts' : '/',
      backText: lists ? 'All cohorts' : 'Dashboard',
      cohort: {
        id: cohort.id,
        title: cohort.title,
        course: COURSE_NAMES[cohort.courseVersion!.courseCode],
        courseVersion: cohort.courseVersion!.version,
        courseTitle: cohort.courseVersion!.title,
        ...statusTag(cohort.status),
        capacity: cohort.capacity,
        delivery: DELIVERY_LABELS[cohort.deliveryMode],
        venue: cohort.venue,
        organisation: cohort.organisation?.name ?? '',
        area: cohort.area?.name ?? '',
      },
      counts: detail.counts,
      access,
      managing,
      runsRegister,
      calendarHref: `/api/v1/cohorts/${cohort.id}/calendar.ics`,
      progressHref: runsRegister ? `/cohorts/${cohort.id}/progress` : null,
      sessions: detail.sessions.map((session, index) => ({
        id: session.id,
        number: index + 1,
        title: session.title,
        time: describeSessionTime(session.startsAt, session.endsAt),
        startsAt: londonIso(session.startsAt),
        venue: session.venue ?? cohortVenue,
        cancelled: session.status === 'cancelled',
        changeHref: managing && session.status === 'scheduled' ? `/sessions/${session.id}/edit` : null,
        registerHref:
          runsRegister && session.status === 'scheduled' ? `/sessions/${session.id}/register` : null,
      })),
      facilitators: detail.facilitators.map((f) => ({
        userId: f.userId,
        name: f.name,
        role: FACILITATOR_ROLE_LABELS[f.role],
        accredited: f.accredited,
      })),
      enrolled: enrolments.filter((e) => e.status === 'enrolled' || e.status === 'completed').map(person),
      waiting: enrolments
        .filter((e) => e.status === 'waitlisted')
        .sort((a, b) => (a.waitlistPosition ?? 0) - (b.waitlistPosition ?? 0))
        .map((e) => ({ ...person(e), position: e.waitlistPosition })),
      requests: enrolments.filter((e) => e.status === 'requested').map(person),
      mine: mine && {
        status: mine.status,
        waitlistPosition: mine.waitlistPosition,
        label:
          mine.status === 'waitlisted'
            ? `Number ${mine.waitlistPosition} on the waiting list`
            : mine.status === 'requested'
              ? 'Requested: waiting for a training lead to approve'
              : mine.status === 'completed'
                ? 'Completed'
                : 'You have a place',
      },
      statusActions: access.manage ? NEXT_STATUS[cohort.status] : [],
      canCancel: managing,
      traineeOptions: trainees
        .filter((user) => !holding.has(user.id))
        .map((user) => ({
          value: user.id,
          text: `${user.name} (${user.email})`,
          selected: user.id === values.traineeId,
        })),
      facilitatorOptions: facilitatorUsers
        .filter((user) => !assigned.has(user.id))
        .map((user) => ({
          value: user.id,
          text: user.organisationName ? `${user.name} (${user.organisationName})` : user.name,
          selected: user.id === values.userId,
        })),
      facilitatorRoleOptions: options(FACILITATOR_ROLES, FACILITATOR_ROLE_LABELS, values.role ?? 'co'),
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
    const status = text(body.status) as CohortStatus;
    if (!BUTTON_STATUSES.includes(status)) {
      return backToForm(
        request,
        `/cohorts/${id}`,
        { status: ['Choose what should happen to the cohort'] },
        {},
      );
    }
    return attempt(request, `/cohorts/${id}`, 'status', {}, async () => {
      await this.cohorts.update(actor, id, { status });
      setFlash(request, { kind: 'success', text: STATUS_DONE[status] ?? 'The status has been changed.' });
      return `/cohorts/${id}`;
    });
  }

  @Get('cohorts/:id/cancel')
  @Roles('admin', 'training_lead')
  @Render('cohorts/cancel')
  async confirmCancel(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    const detail = await this.managed(actor, id);
    const { cohort } = detail;
    return {
      title: `Cancel ${cohort.title}`,
      cohort: { id: cohort.id, title: cohort.title },
      cancellable: isEditable(cohort.status),
      statusLabel: STATUS_LABELS[cohort.status],
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
    return attempt(request, `/cohorts/${id}/cancel`, 'confirm', {}, async () => {
      await this.cohorts.update(actor, id, { status: 'cancelled' });
      setFlash(request, {
        kind: 'success',
        text: 'The cohort has been cancelled. Its trainees and facilitators have been told by e-mail.',
      });
      return `/cohorts/${id}`;
    });
  }

  @Get('cohorts/:id/edit')
  @Roles('admin', 'training_lead')
  @Render('cohorts/edit')
  async edit(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Req() request: FastifyRequest,
  ) {
    const { cohort } = await this.managed(actor, id);
    return {
      title: `Change ${cohort.title}`,
      cohort: { id: cohort.id, title: cohort.title },
      editable: isEditable(cohort.status),
      current: {
        title: cohort.title,
        capacity: String(cohort.capacity),
        venue: cohort.venue ?? '',
        ...submitted(request),
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
    const form = { title: body.title, capacity: body.capacity, venue: body.venue };
    return submitForm(request, form, {
      formUrl: `/cohorts/${id}/edit`,
      dto: UpdateCohortDto,
      refusalField: 'capacity',
      apply: async (dto) => {
        const before = await this.cohorts.detail(actor, id);
        const after = await this.cohorts.update(actor, id, dto);
        const promoted = after.counts.enrolled - before.counts.enrolled;
        setFlash(request, {
          kind: 'success',
          text: `The cohort has been saved.${promoted > 0 ? ` ${promoted} ${promoted === 1 ? 'person' : 'people'} on the waiting list now ${promoted === 1 ? 'has a place' : 'have places'}.` : ''}`,
        });
        return `/cohorts/${id}`;
      },
    });
  }

  @Get('cohorts/:id/sessions/new')
  @Roles('admin', 'training_lead')
  @Render('cohorts/form')
  async newSessions(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Req() request: FastifyRequest,
  ) {
    const detail = await this.managed(actor, id);
    const { cohort } = detail;
    const values = submitted(request);
    const last = detail.sessions[detail.sessions.length - 1];
    return {
      title: `Add sessions to ${cohort.title}`,
      isNew: false,
      action: `/cohorts/${id}/sessions`,
      backHref: `/cohorts/${id}`,
      backText: cohort.title,
      canCreate: isEditable(cohort.status),
      refusal: isEditable(cohort.status) ? null : `A ${cohort.status} cohort cannot be changed.`,
      lastSession: last ? describeSessionTime(last.startsAt, last.endsAt) : null,
      current: { intervalWeeks: '1', count: '1', ...values, scheduleMode: values.scheduleMode ?? 'weekly' },
      countHint: `The course usually has ${cohort.courseVersion!.rules.sessions} sessions; this cohort has ${detail.sessions.length}.`,
    };
  }

  @Post('cohorts/:id/sessions')
  @Roles('admin', 'training_lead')
  @Redirect()
  async addSessions(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: FormBody,
    @Req() request: FastifyRequest,
  ) {
    const formUrl = `/cohorts/${id}/sessions/new`;
    const schedule = readSchedule(body);
    const { value, errors } = await validateForm(SessionsInputDto, schedule.input);
    const refused = inOrder(
      { ...scheduleErrorsFromDto(errors, schedule.mode), ...schedule.errors },
      scheduleFields(),
    );
    if (Object.keys(refused).length > 0) return backToForm(request, formUrl, refused, body);
    const field = schedule.mode === 'list' ? 'sessionLines' : 'firstDate';
    return attempt(
      request,
      formUrl,
      field,
      body,
      async () => {
        const before = (await this.cohorts.detail(actor, id)).sessions.length;
        const added = (await this.cohorts.addSessions(actor, id, value)).sessions.length - before;
        setFlash(request, {
          kind: 'success',
          text: `${added} session${added === 1 ? ' has' : 's have'} been added.`,
        });
        return `/cohorts/${id}`;
      },
      (errors) => scheduleErrorsFromDto(errors, schedule.mode),
    );
  }

  @Post('cohorts/:id/enrolments')
  @Roles('admin', 'training_lead')
  @Redirect()
  async enrol(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: FormBody,
    @Req() request: FastifyRequest,
  ) {
    await this.cohorts.assertCanManage(actor, id);
    return submitForm(
      request,
      { traineeId: body.traineeId },
      {
        formUrl: `/cohorts/${id}`,
        dto: EnrolDto,
        refusalField: 'traineeId',
        apply: async (dto) => {
          const enrolment = await this.enrolments.enrol(actor, id, dto.traineeId);
          setFlash(request, {
            kind: 'success',
            text:
              enrolment.status === 'waitlisted'
                ? `The cohort is full: ${enrolment.traineeName} is number ${enrolment.waitlistPosition} on the waiting list.`
                : `${enrolment.traineeName} has a place on this cohort.`,
          });
          return `/cohorts/${id}`;
        },
      },
    );
  }

  @Post('cohorts/:id/enrolments/:enrolmentId/withdraw')
  @Roles('admin', 'training_lead')
  @Redirect()
  async withdraw(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('enrolmentId', ParseUUIDPipe) enrolmentId: string,
    @Req() request: FastifyRequest,
  ) {
    return attempt(request, `/cohorts/${id}`, 'enrolments', {}, async () => {
      const before = await this.enrolments.list(actor, id, {});
      const withdrawn = await this.enrolments.withdraw(actor, id, enrolmentId);
      const after = await this.enrolments.list(actor, id, {});
      const promoted = after.filter(
        (e) => e.status === 'enrolled' && before.find((b) => b.id === e.id)?.status === 'waitlisted',
      );
      setFlash(request, {
        kind: 'success',
        text: `${withdrawn.traineeName} has been withdrawn.${promoted.map((e) => ` ${e.traineeName} from the waiting list now has a place.`).join('')}`,
      });
      return `/cohorts/${id}`;
    });
  }

  @Post('cohorts/:id/enrolments/:enrolmentId/approve')
  @Roles('admin', 'training_lead')
  @Redirect()
  async approve(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('enrolmentId', ParseUUIDPipe) enrolmentId: string,
    @Req() request: FastifyRequest,
  ) {
    await this.enrolmentOf(id, enrolmentId);
    return attempt(request, `/cohorts/${id}`, 'requests', {}, async () => {
      const enrolment = await this.enrolments.approve(actor, enrolmentId);
      setFlash(request, {
        kind: 'success',
        text:
          enrolment.status === 'waitlisted'
            ? `Request approved: the cohort is full, so ${enrolment.traineeName} is number ${enrolment.waitlistPosition} on the waiting list.`
            : `Request approved: ${enrolment.traineeName} has a place.`,
      });
      return `/cohorts/${id}`;
    });
  }

  @Post('cohorts/:id/enrolments/:enrolmentId/decline')
  @Roles('admin', 'training_lead')
  @Redirect()
  async decline(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('enrolmentId', ParseUUIDPipe) enrolmentId: string,
    @Req() request: FastifyRequest,
  ) {
    await this.enrolmentOf(id, enrolmentId);
    return attempt(request, `/cohorts/${id}`, 'requests', {}, async () => {
      const enrolment = await this.enrolments.decline(actor, enrolmentId);
      setFlash(request, { kind: 'success', text: `${enrolment.traineeName}’s request has been declined.` });
      return `/cohorts/${id}`;
    });
  }

  @Post('cohorts/:id/facilitators')
  @Roles('admin', 'training_lead')
  @Redirect()
  async addFacilitator(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: FormBody,
    @Req() request: FastifyRequest,
  ) {
    await this.cohorts.assertCanManage(actor, id);
    return submitForm(
      request,
      { userId: body.userId, role: body.role },
      {
        formUrl: `/cohorts/${id}`,
        dto: AddFacilitatorDto,
        refusalField: 'userId',
        apply: async (dto) => {
          const detail = await this.cohorts.addFacilitator(actor, id, dto);
          const name = detail.facilitators.find((f) => f.userId === dto.userId)?.name ?? 'The facilitator';
          setFlash(request, {
            kind: 'success',
            text: `${name} has been added as ${FACILITATOR_ROLE_LABELS[dto.role].toLowerCase()}.`,
          });
          return `/cohorts/${id}`;
        },
      },
    );
  }

  @Post('cohorts/:id/facilitators/:userId/remove')
  @Roles('admin', 'training_lead')
  @Redirect()
  async removeFacilitator(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('userId', ParseUUIDPipe) userId: string,
    @Req() request: FastifyRequest,
  ) {
    return attempt(request, `/cohorts/${id}`, 'facilitators', {}, async () => {
      const name = (await this.users.contacts([userId])).get(userId)?.name ?? 'The facilitator';
      await this.cohorts.removeFacilitator(actor, id, userId);
      setFlash(request, { kind: 'success', text: `${name} is no longer a facilitator of this cohort.` });
      return `/cohorts/${id}`;
    });
  }

  @Get('sessions/:id/edit')
  @Roles('admin', 'training_lead')
  @Render('cohorts/session')
  async editSession(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Req() request: FastifyRequest,
  ) {
    const { session, detail } = await this.managedSession(actor, id);
    const start = DateTime.fromJSDate(session.startsAt, { zone: LONDON });
    const end = DateTime.fromJSDate(session.endsAt, { zone: LONDON });
    return {
      title: `Change ${session.title}`,
      cohort: { id: detail.cohort.id, title: detail.cohort.title },
      venueHint: detail.cohort.venue
        ? `Leave blank to use the cohort’s venue, ${detail.cohort.venue}`
        : 'Leave blank to use the cohort’s venue',
      session: {
        id: session.id,
        title: session.title,
        time: describeSessionTime(session.startsAt, session.endsAt),
      },
      editable: isEditable(detail.cohort.status) && session.status === 'scheduled',
      refusal:
        session.status === 'cancelled'
          ? 'This session was cancelled.'
          : isEditable(detail.cohort.status)
            ? null
            : `A ${detail.cohort.status} cohort cannot be changed.`,
      current: {
        date: start.toFormat('yyyy-LL-dd'),
        startTime: start.toFormat('HH:mm'),
        endTime: end.toFormat('HH:mm'),
        venue: session.venue ?? '',
        title: session.title,
        ...submitted(request),
      },
    };
  }

  @Post('sessions/:id/edit')
  @Roles('admin', 'training_lead')
  @Redirect()
  async updateSession(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: FormBody,
    @Req() request: FastifyRequest,
  ) {
    const session = await this.cohorts.findSession(id);
    const formUrl = `/sessions/${id}/edit`;
    const errors: FieldErrors = {};
    const date = text(body.date);
    const startTime = text(body.startTime);
    const endTime = text(body.endTime);
    if (!isDate(date)) errors.date = [`Enter the date as YYYY-MM-DD, for example 2026-10-13`];
    if (!isTime(startTime))
      errors.startTime = ['Enter the start time as HH:mm on the 24-hour clock, like 18:00'];
    if (!isTime(endTime)) errors.endTime = ['Enter the end time as HH:mm on the 24-hour clock, like 20:00'];
    const startsAt = errors.date || errors.startTime ? null : londonTime(date, startTime);
    const endsAt = errors.date || errors.endTime ? null : londonTime(date, endTime);
    const skipped = 'That time does not exist in London on that day: the clocks go forward an hour';
    if (!errors.date && !errors.startTime && !startsAt) errors.startTime = [skipped];
    if (!errors.date && !errors.endTime && !endsAt) errors.endTime = [skipped];
    if (startsAt && endsAt && endsAt <= startsAt) errors.endTime = ['The session must end after it starts'];
    const { value, errors: dtoErrors } = await validateForm(UpdateSessionDto, {
      ...(startsAt && endsAt ? { startsAt: londonIso(startsAt), endsAt: londonIso(endsAt) } : {}),
      venue: typeof body.venue === 'string' ? body.venue.trim() : body.venue,
      title: typeof body.title === 'string' ? body.title.trim() : body.title,
    });
    const refused = inOrder({ ...sessionFormErrors(dtoErrors), ...errors }, SESSION_FIELDS);
    if (Object.keys(refused).length > 0) return backToForm(request, formUrl, refused, body);
    return attempt(
      request,
      formUrl,
      'date',
      body,
      async () => {
        const updated = await this.cohorts.updateSession(actor, id, value);
        setFlash(request, {
          kind: 'success',
          text: `${updated.title} is now on ${describeSessionTime(updated.startsAt, updated.endsAt)}.`,
        });
        return `/cohorts/${session.cohortId}`;
      },
      sessionFormErrors,
    );
  }

  @Post('sessions/:id/cancel')
  @Roles('admin', 'training_lead')
  @Redirect()
  async cancelSession(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Req() request: FastifyRequest,
  ) {
    const session = await this.cohorts.findSession(id);
    return attempt(request, `/sessions/${id}/edit`, 'cancel', {}, async () => {
      const cancelled = await this.cohorts.updateSession(actor, id, { status: 'cancelled' });
      setFlash(request, {
        kind: 'success',
        text: `${cancelled.title} (${describeSessionTime(cancelled.startsAt, cancelled.endsAt)}) has been cancelled.`,
      });
      return `/cohorts/${session.cohortId}`;
    });
  }

  /** The cohort, refusing anyone who may not manage it. */
  private async managed(actor: AuthUser, id: string) {
    const detail = await this.cohorts.detail(actor, id);
    if (!detail.access.manage) throw forbidden('Only a training lead of the host organisation can do this');
    return detail;
  }

  private async managedSession(actor: AuthUser, id: string) {
    const found = await this.cohorts.findSession(id);
    const detail = await this.managed(actor, found.cohortId);
    const session = detail.sessions.find((s) => s.id === id);
    if (!session) throw notFound('The session');
    return { session, detail };
  }

  private async enrolmentOf(cohortId: string, enrolmentId: string): Promise<void> {
    const enrolment = await this.enrolments.find(enrolmentId);
    if (enrolment.cohortId !== cohortId) throw notFound('The enrolment');
  }

  /** People who can be picked: active accounts with the role, as far as the actor may see them. */
  private async activeUsers(actor: AuthUser, role: Role) {
    return (await this.users.list(actor, { role })).filter((user) => user.status === 'active');
  }
}

function submitted(request: FastifyRequest): Record<string, unknown> {
  return request.session.data.form?.values ?? {};
}

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

// Checkbox groups post a hidden empty value so that unticking every box is still sent.
const list = (value: unknown): string[] =>
  ([] as unknown[])
    .concat(value ?? [])
    .filter((item): item is string => typeof item === 'string' && item !== '');

const isEditable = (status: CohortStatus) => status !== 'completed' && status !== 'cancelled';

const statusTag = (status: CohortStatus) => ({
  status,
  statusLabel: STATUS_LABELS[status],
  statusColour: STATUS_TAG_COLOURS[status],
});

/**
 * Runs a page action; a refusal (409, 422, not found) goes back to the page beside `field`, a venue clash beside
 * the venue, and refused fields (400) beside the form's own fields as `toFormFields` names them.
 */
async function attempt(
  request: FastifyRequest,
  formUrl: string,
  field: string,
  values: FormBody,
  apply: () => Promise<string>,
  toFormFields?: (errors: FieldErrors) => FieldErrors,
): Promise<PageRedirect> {
  try {
    return redirectTo(await apply());
  } catch (error) {
    if (error instanceof ValidationFailedException && toFormFields)
      return backToForm(request, formUrl, toFormFields(error.errors), values);
    if (!(error instanceof DomainException) || error.code === DomainErrorCode.Forbidden) throw error;
    const clash = error.details?.clash as { kind?: string } | undefined;
    const beside = clash?.kind === 'venue' && 'venue' in values ? 'venue' : field;
    return backToForm(request, formUrl, { [beside]: [error.message] }, values);
  }
}

/** Errors in the order the fields appear, so that the error summary reads like the form. */
function inOrder(errors: FieldErrors, fields: string[]): FieldErrors {
  const rank = (key: string) => (fields.includes(key) ? fields.indexOf(key) : fields.length);
  return Object.fromEntries(Object.entries(errors).sort(([a], [b]) => rank(a) - rank(b)));
}

/**
 * The DTO's nested keys (`schedule.count`, `sessions.0.title`) shown beside the builder's own fields; a refused
 * session says which one it is.
 */
function scheduleErrorsFromDto(errors: FieldErrors | null, mode: ScheduleMode | null): FieldErrors {
  const result: FieldErrors = {};
  for (const [key, raw] of Object.entries(errors ?? {})) {
    let field = key;
    let messages = raw;
    const session = /^sessions\.(\d+)\./.exec(key);
    if (key.startsWith('schedule.')) {
      const inner = key.slice('schedule.'.length);
      field = inner === 'firstStartsAt' ? 'firstDate' : inner;
    } else if (key.startsWith('sessions') || key === 'schedule') {
      field = mode === 'list' ? 'sessionLines' : 'firstDate';
      if (session) messages = raw.map((message) => `Session ${Number(session[1]) + 1}: ${message}`);
    }
    result[field] = [...(result[field] ?? []), ...messages];
  }
  return result;
}

const SESSION_FIELDS = ['date', 'startTime', 'endTime', 'venue', 'title'];

/** The session's times as the API names them, shown beside the form's fields: a start by its date, an end by its time. */
function sessionFormErrors(errors: FieldErrors | null): FieldErrors {
  const result: FieldErrors = {};
  const formField: Record<string, string> = { startsAt: 'date', endsAt: 'endTime' };
  for (const [key, messages] of Object.entries(errors ?? {})) {
    const field = formField[key] ?? key;
    result[field] = [...(result[field] ?? []), ...messages];
  }
  return result;
}

/** Which field of the create form a refusal from the service belongs beside. */
function createRefusalField(error: DomainException, mode: ScheduleMode | null): string {
  const clash = error.details?.clash as { kind?: string } | undefined;
  if (clash?.kind === 'facilitator') return 'facilitatorIds';
  if (clash?.kind === 'venue') return 'venue';
  const message = error.message.toLowerCase();
  if (message.includes('facilitator')) return 'facilitatorIds';
  if (message.includes('organisation')) return 'organisationId';
  if (message.includes('area')) return 'areaId';
  if (message.includes('course')) return 'courseCode';
  if (message.includes('session') || message.includes('schedule'))
    return mode === 'list' ? 'sessionLines' : 'firstDate';
  return 'title';
}

// --- The schedule builder: weekly, or one session per line. Form times are London wall-clock time. ---

type ScheduleMode = 'weekly' | 'list';

interface ScheduleInput {
  sessions?: SessionLine[];
  schedule?: Record<string, unknown>;
}

const SESSION_LINE = /^(\S+)\s+(\S+?)\s*[-–]\s*(\d{1,2}:\d{2})(?:\s+(.*))?$/;
const LINE_FORMAT = 'write it as YYYY-MM-DD HH:mm-HH:mm Title, for example 2026-10-13 18:00-20:00 Welcome';
const MAX_SESSIONS = 52;

function isDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && DateTime.fromISO(value).isValid;
}

function isTime(value: string): boolean {
  return /^([01]?\d|2[0-3]):[0-5]\d$/.test(value);
}

/**
 * A London wall-clock date and time as an instant; null when the clocks skip that time (the hour lost on the last
 * Sunday of March), rather than silently moving it an hour later.
 */
function londonTime(date: string, time: string): Date | null {
  const padded = time.padStart(5, '0');
  const at = fromLondonInput(date, padded);
  if (!at) return null;
  return DateTime.fromJSDate(at, { zone: LONDON }).toFormat('yyyy-LL-dd HH:mm') === `${date} ${padded}`
    ? at
    : null;
}

/**
 * Reads the schedule builder into the API's shape (`schedule` or `sessions`), with errors keyed by the form's
 * fields. A weekly count left blank takes `defaultCount` (the course's usual number of sessions).
 */
function readSchedule(
  body: FormBody,
  defaultCount?: number,
): { mode: ScheduleMode | null; input: ScheduleInput; errors: FieldErrors } {
  const mode = text(body.scheduleMode);
  if (mode === 'list') return { mode, ...readSessionLines(body.sessionLines) };
  if (mode !== 'weekly')
    return { mode: null, input: {}, errors: { scheduleMode: ['Choose how to enter the sessions'] } };
  const errors: FieldErrors = {};
  const date = text(body.firstDate);
  const time = text(body.startTime);
  if (!isDate(date))
    errors.firstDate = ['Enter the date of the first session as YYYY-MM-DD, for example 2026-10-13'];
  if (!isTime(time))
    errors.startTime = ['Enter the start time as HH:mm on the 24-hour clock, for example 18:00'];
  const first = errors.firstDate || errors.startTime ? null : londonTime(date, time);
  if (!errors.firstDate && !errors.startTime && !first)
    errors.startTime = [
      'That time does not exist in London on that day: the clocks go forward an hour. Choose another time',
    ];
  const count = text(body.count);
  const schedule = {
    firstStartsAt: first ? londonIso(first) : undefined,
    durationMinutes: text(body.durationMinutes),
    count: count === '' && defaultCount !== undefined ? String(defaultCount) : count,
    intervalWeeks: text(body.intervalWeeks),
  };
  // The numbers are checked by the API's own DTO; without a valid start it is left out and only they are checked.
  return {
    mode,
    input: first ? { schedule } : {},
    errors: first ? errors : { ...errors, ...numberErrors(schedule) },
  };
}

function numberErrors(schedule: Record<string, string | undefined>): FieldErrors {
  const errors: FieldErrors = {};
  const check = (field: string, min: number, max: number, message: string) => {
    const raw = schedule[field] ?? '';
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) errors[field] = [message];
  };
  check('durationMinutes', 15, 720, 'A session lasts from 15 to 720 minutes');
  check('count', 1, MAX_SESSIONS, `Schedule from 1 to ${MAX_SESSIONS} sessions`);
  check('intervalWeeks', 1, 8, 'Sessions are 1 to 8 weeks apart');
  return errors;
}

type SessionLine = { startsAt: string; endsAt: string; title?: string };

/** One session per line: `YYYY-MM-DD HH:mm-HH:mm Title` (the title may be left out). Blank lines are skipped. */
function readSessionLines(raw: unknown): { input: ScheduleInput; errors: FieldErrors } {
  const problems: string[] = [];
  const sessions: SessionLine[] = [];
  const lines = (typeof raw === 'string' ? raw : '').split(/\r\n|\r|\n/);
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const parsed = parseSessionLine(line.trim());
    if (typeof parsed === 'string') problems.push(`Line ${index + 1}: ${parsed}`);
    else sessions.push(parsed);
  }
  if (problems.length === 0 && sessions.length === 0)
    problems.push('Enter at least one session, one per line');
  if (sessions.length > MAX_SESSIONS) problems.push(`Enter at most ${MAX_SESSIONS} sessions`);
  return problems.length > 0
    ? { input: {}, errors: { sessionLines: problems } }
    : { input: { sessions }, errors: {} };
}

/** The session a line describes, or what is wrong with it. */
function parseSessionLine(line: string): SessionLine | string {
  const match = SESSION_LINE.exec(line);
  if (!match) return `“${truncate(line)}” is not a session; ${LINE_FORMAT}`;
  const [, date, start, end, rawTitle = ''] = match;
  const title = rawTitle.trim();
  if (!isDate(date)) return `${truncate(date)} is not a date; ${LINE_FORMAT}`;
  if (!isTime(start)) return `${truncate(start)} is not a time on the 24-hour clock; ${LINE_FORMAT}`;
  if (!isTime(end)) return `${end} is not a time on the 24-hour clock; ${LINE_FORMAT}`;
  const startsAt = londonTime(date, start);
  const endsAt = londonTime(date, end);
  if (!startsAt || !endsAt)
    return 'that time does not exist in London on that day: the clocks go forward an hour';
  if (endsAt <= startsAt) return 'the session must end after it starts';
  if (title.length > 200) return 'the title must be 200 characters or fewer';
  return { startsAt: londonIso(startsAt), endsAt: londonIso(endsAt), ...(title ? { title } : {}) };
}

const truncate = (value: string) => (value.length > 40 ? `${value.slice(0, 40)}…` : value);
