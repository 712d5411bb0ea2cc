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
import { notFound } from 'src/common/refusal';
import { answerForm, redirectTo } from 'src/common/form-submission';
import { formText } from 'src/common/form-options';
import { setFlash } from 'src/common/page-context';
import { validateForm } from 'src/common/validation';
import { OpenCohortsQuery } from 'src/cohorts/dto/cohort.dto';
import type { AuthUser } from 'src/common/request-context';
import { CalendarService } from 'src/cohorts/calendar.service';
import { CohortsService } from 'src/cohorts/cohorts.service';
import { EnrolmentsService } from 'src/cohorts/enrolments.service';
import { ProgressService } from 'src/cohorts/progress.service';
import {
  courseName,
  ENROLMENT_STATUS_LABELS,
  findACourseView,
  ENROLMENT_STATUS_TAGS,
  isScheduled,
  londonTime,
  requirementView,
  sessionLine,
  WITH_PLACE,
  WITHDRAWABLE,
} from 'src/cohorts/cohorts.presenter';
import { describeSessionTime } from 'src/cohorts/schedule';
import { OrganisationsService } from 'src/organisations/organisations.service';

/** A trainee's own pages: their courses, finding one and asking for a place, withdrawing, progress, calendar. */
@ApiExcludeController()
@Controller()
export class TraineePagesController {
  constructor(
    private readonly cohorts: CohortsService,
    private readonly enrolments: EnrolmentsService,
    private readonly progress: ProgressService,
    private readonly calendars: CalendarService,
    private readonly organisations: OrganisationsService,
  ) {}

  @Get('my/courses')
  @Roles('trainee')
  @Render('my/courses')
  async myCourses(@CurrentUser() actor: AuthUser) {
    const [mine, open] = await Promise.all([
      this.enrolments.mine(actor),
      this.cohorts.list(actor, { status: 'open' }),
    ]);
    // Every cohort they hold or wait for a place on; only those with a place give their upcoming sessions.
    const details = await Promise.all(
      mine.map((enrolment) => this.cohorts.detail(actor, enrolment.cohortId)),
    );
    const now = Date.now();
    const sessionsByCohort = new Map(details.map((detail) => [detail.cohort.id, detail]));
    const placedCohorts = new Set(
      mine
        .filter((enrolment) => WITH_PLACE.includes(enrolment.status))
        .map((enrolment) => enrolment.cohortId),
    );
    const upcoming = details
      .filter((detail) => placedCohorts.has(detail.cohort.id))
      .flatMap((detail) =>
        detail.sessions
          .map((session, index) => ({ session, index, detail }))
          .filter(({ session }) => {
            return isScheduled(session) && session.endsAt.getTime() > now;
          }),
      )
      .sort((a, b) => a.session.startsAt.getTime() - b.session.startsAt.getTime())
      .map(({ session, index, detail }) => ({
        ...sessionLine(session, index, detail.cohort),
        cohortId: detail.cohort.id,
        cohortTitle: detail.cohort.title,
      }));
    const onCohorts = new Set(mine.map((enrolment) => enrolment.cohortId));
    return {
      title: 'My courses',
      enrolments: mine.map((enrolment) => {
        const next = sessionsByCohort
          .get(enrolment.cohortId)
          ?.sessions.find((s) => isScheduled(s) && s.startsAt.getTime() > now);
        return {
          id: enrolment.id,
          cohortId: enrolment.cohortId,
          cohortTitle: enrolment.cohort.title,
          courseName: courseName(enrolment.cohort.courseVersion?.courseCode),
          organisation: enrolment.cohort.organisation?.name ?? '',
          statusLabel: ENROLMENT_STATUS_LABELS[enrolment.status],
          statusTag: ENROLMENT_STATUS_TAGS[enrolment.status],
          waitlistPosition: enrolment.status === 'waitlisted' ? enrolment.waitlistPosition : null,
          requested: enrolment.status === 'requested',
          nextSession: next ? describeSessionTime(next.startsAt, next.endsAt) : null,
          hasProgress: WITH_PLACE.includes(enrolment.status),
          canWithdraw: WITHDRAWABLE.includes(enrolment.status),
        };
      }),
      upcoming,
      openCohorts: open
        .filter((cohort) => !onCohorts.has(cohort.id))
        .map((cohort) => ({
          id: cohort.id,
          title: cohort.title,
          courseName: courseName(cohort.courseVersion?.courseCode),
          organisation: cohort.organisation?.name ?? '',
          area: cohort.area?.name ?? '',
          nextSession: cohort.nextSessionAt ? londonTime(cohort.nextSessionAt) : null,
          full: cohort.enrolledCount >= cohort.capacity,
          placesLeft: Math.max(cohort.capacity - cohort.enrolledCount, 0),
          fieldId: `cohort-${cohort.id}`,
        })),
    };
  }

  @Get('find-a-course')
  @Roles('trainee')
  @Render('my/find-a-course')
  async findACourse(@CurrentUser() actor: AuthUser, @Query() raw: Record<string, unknown>) {
    // Unless they choose otherwise, a trainee sees the area of their own organisation first.
    const own = actor.organisationId ? await this.organisations.getOrganisation(actor.organisationId) : null;
    const chosen = {
      area: formText(raw.area) || (raw.area === undefined ? own?.areaId : ''),
      course: formText(raw.course),
    };
    const { value: query, errors } = await validateForm(OpenCohortsQuery, {
      ...(chosen.area ? { area: chosen.area } : {}),
      ...(chosen.course ? { course: chosen.course } : {}),
    });
    const filters = errors ? {} : query;
    const [everywhere, mine] = await Promise.all([
      this.cohorts.listOpen(actor, { course: filters.course }),
      this.enrolments.mine(actor),
    ]);
    return {
      title: 'Find a course',
      ...findACourseView({ everywhere, filters, held: mine, errors, ownArea: own?.area }),
    };
  }

  @Post('my/cohorts/:id/request')
  @Roles('trainee')
  @Redirect()
  async requestPlace(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Record<string, unknown>,
    @Req() request: FastifyRequest,
  ) {
    const page = body.from === 'find' ? '/find-a-course' : '/my/courses';
    const form = { url: `${page}#cohort-${id}`, values: {}, fields: [`cohort-${id}`] };
    return answerForm(request, form, async () => {
      await this.enrolments.enrol(actor, id, actor.id);
      setFlash(request, {
        kind: 'success',
        text: 'You have asked for a place. A training lead will confirm it, and you will get an e-mail.',
      });
      return '/my/courses';
    });
  }

  @Get('my/enrolments/:id/withdraw')
  @Roles('trainee')
  @Render('my/withdraw')
  async confirmWithdraw(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    const enrolment = (await this.enrolments.mine(actor)).find((e) => e.id === id);
    if (!enrolment || !WITHDRAWABLE.includes(enrolment.status)) throw notFound('The enrolment');
    return {
      title: `Withdraw from ${enrolment.cohort.title}`,
      enrolment: {
        id: enrolment.id,
        cohortTitle: enrolment.cohort.title,
        courseName: courseName(enrolment.cohort.courseVersion?.courseCode),
        statusLabel: ENROLMENT_STATUS_LABELS[enrolment.status],
        enrolled: enrolment.status === 'enrolled',
        waitlisted: enrolment.status === 'waitlisted',
        waitlistPosition: enrolment.waitlistPosition,
      },
    };
  }

  @Post('my/enrolments/:id/withdraw')
  @Roles('trainee')
  @Redirect()
  async withdraw(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Req() request: FastifyRequest,
  ) {
    const enrolment = await this.enrolments.find(id);
    return answerForm(request, { url: '/my/courses', values: {}, fields: [`enrolment-${id}`] }, async () => {
      await this.enrolments.withdraw(actor, enrolment.cohortId, id);
      setFlash(request, { kind: 'success', text: 'You have withdrawn. Your place has been given up.' });
      return '/my/courses';
    });
  }

  @Get('my/enrolments/:id/progress')
  @Roles('trainee')
  @Render('my/progress')
  async myProgress(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    const report = await this.progress.forEnrolment(actor, id);
    const enrolment = (await this.enrolments.mine(actor)).find((e) => e.id === id);
    const cohort =
      enrolment?.cohort ??
      (await this.cohorts.access(actor, (await this.enrolments.find(id)).cohortId)).cohort;
    const unmet = report.requirements.filter((row) => !row.met).length;
    return {
      title: `Your progress: ${cohort.title}`,
      enrolmentId: id,
      cohort: {
        id: cohort.id,
        title: cohort.title,
        courseName: courseName(cohort.courseVersion?.courseCode),
      },
      statusLabel: enrolment ? ENROLMENT_STATUS_LABELS[enrolment.status] : null,
      eligible: report.eligible,
      unmet,
      requirements: report.requirements.map(requirementView),
    };
  }

  // ---- Calendar (anyone signed in: trainees and facilitators have sessions in it) ------------------------------

  @Get('my/calendar')
  @Render('my/calendar')
  async calendar(@CurrentUser() actor: AuthUser) {
    return { title: 'Your calendar', feedUrl: await this.calendars.feedUrl(actor) };
  }

  @Post('my/calendar/reset')
  @Redirect()
  async resetCalendar(@CurrentUser() actor: AuthUser, @Req() request: FastifyRequest) {
    await this.calendars.resetFeed(actor);
    setFlash(request, {
      kind: 'success',
      text: 'Your calendar has a new address. The old one no longer works: subscribe again with the new one.',
    });
    return redirectTo('/my/calendar');
  }
}
