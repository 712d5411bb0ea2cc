import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Redirect, Render, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentUser, Roles } from 'src/common/access.decorators';
import { DomainErrorCode, DomainException, notFound } from 'src/common/domain.exception';
import { backToForm, redirectTo } from 'src/common/form-submission';
import { setFlash } from 'src/common/page-context';
import type { AuthUser } from 'src/common/request-context';
import { FieldErrors, validateForm } from 'src/common/validation';
import { ATTENDANCE_STATUSES, AttendanceStatus } from 'src/cohorts/attendance.entity';
import { AttendanceService } from 'src/cohorts/attendance.service';
import { CalendarService } from 'src/cohorts/calendar.service';
import { CohortsService } from 'src/cohorts/cohorts.service';
import { AttendanceEntryDto } from 'src/cohorts/dto/cohort.dto';
import { EnrolmentsService } from 'src/cohorts/enrolments.service';
import { ProgressService } from 'src/cohorts/progress.service';
import {
  COHORT_STATUS_LABELS,
  COHORT_STATUS_TAGS,
  courseName,
  ENROLMENT_STATUS_LABELS,
  ENROLMENT_STATUS_TAGS,
  FACILITATOR_ROLE_TEXT,
  isScheduled,
  londonTime,
  MADE_UP_FIELD,
  REGISTER_OPENS_BEFORE_START_MS,
  registerRowView,
  registerSession,
  requirementLabel,
  requirementView,
  sessionLine,
  STATUS_FIELD,
  WITH_PLACE,
  WITHDRAWABLE,
} from 'src/cohorts/my.presenter';
import { describeSessionTime } from 'src/cohorts/schedule';

type FormBody = Record<string, unknown>;

/** Refusals a person can act on go back to the form; "not yours" and "not found" stay 403 and 404. */
const isRefusal = (error: unknown): error is DomainException =>
  error instanceof DomainException &&
  (error.code === DomainErrorCode.RuleRefused || error.code === DomainErrorCode.Conflict);

/** The facilitator's and the trainee's own pages: their cohorts, registers, progress, courses and calendar. */
@ApiExcludeController()
@Controller()
export class MyPagesController {
  constructor(
    private readonly cohorts: CohortsService,
    private readonly enrolments: EnrolmentsService,
    private readonly attendance: AttendanceService,
    private readonly progress: ProgressService,
    private readonly calendars: CalendarService,
  ) {}

  // ---- Facilitator -------------------------------------------------------------------------------------------

  @Get('my/cohorts')
  @Roles('facilitator')
  @Render('my/cohorts')
  async myCohorts(@CurrentUser() actor: AuthUser) {
    const listed = await this.cohorts.list(actor, {});
    const accesses = await Promise.all(listed.map((cohort) => this.cohorts.access(actor, cohort.id)));
    const facilitated = listed.filter((_, index) => accesses[index].access.facilitate);
    const details = await Promise.all(facilitated.map((cohort) => this.cohorts.detail(actor, cohort.id)));
    const now = Date.now();
    const rows = facilitated.map((cohort, index) => {
      const detail = details[index];
      const numbered = detail.sessions.map(sessionLine);
      const next = detail.sessions.findIndex((s) => isScheduled(s) && s.startsAt.getTime() > now);
      const register = registerSession(detail.sessions, now);
      const registerIndex = register ? detail.sessions.indexOf(register) : -1;
      return {
        id: cohort.id,
        title: cohort.title,
        courseName: courseName(cohort.courseVersion?.courseCode),
        organisation: cohort.organisation?.name ?? '',
        statusLabel: COHORT_STATUS_LABELS[cohort.status],
        statusTag: COHORT_STATUS_TAGS[cohort.status],
        enrolled: cohort.enrolledCount,
        capacity: cohort.capacity,
        myRole: FACILITATOR_ROLE_TEXT[detail.facilitators.find((f) => f.userId === actor.id)?.role ?? 'co'],
        nextSession: next >= 0 ? numbered[next] : null,
        register: registerIndex >= 0 ? numbered[registerIndex] : null,
        finished: cohort.status === 'completed' || cohort.status === 'cancelled',
        sortKey: next >= 0 ? detail.sessions[next].startsAt.getTime() : Number.MAX_SAFE_INTEGER,
      };
    });
    rows.sort((a, b) => a.sortKey - b.sortKey);
    return {
      title: 'My cohorts',
      current: rows.filter((row) => !row.finished),
      past: rows.filter((row) => row.finished),
    };
  }

  @Get('sessions/:id/register')
  @Render('my/register')
  async registerPage(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Req() request: FastifyRequest,
  ) {
    const { session, rows, canRecord } = await this.attendance.register(actor, id);
    const detail = await this.cohorts.detail(actor, session.cohortId);
    const submitted = request.session.data.form?.values;
    const errors = request.session.data.form?.errors ?? {};
    const opensAt = new Date(session.startsAt.getTime() - REGISTER_OPENS_BEFORE_START_MS);
    const index = detail.sessions.findIndex((s) => s.id === session.id);
    const counts = Object.fromEntries(ATTENDANCE_STATUSES.map((status) => [status, 0])) as Record<
      AttendanceStatus,
      number
    >;
    for (const row of rows) if (row.status) counts[row.status] += 1;
    return {
      title: `Register: ${detail.cohort.title}, ${session.title}`,
      cohort: { id: detail.cohort.id, title: detail.cohort.title },
      session: {
        ...sessionLine(session, index),
        count: detail.sessions.length,
        venue: session.venue ?? (detail.cohort.deliveryMode === 'online' ? 'Online' : detail.cohort.venue),
      },
      notYetOpen: opensAt.getTime() > Date.now(),
      canRecord,
      opensAt: londonTime(opensAt),
      rows: rows.map((row) => registerRowView(row, submitted, errors)),
      recorded: rows.filter((row) => row.status).length,
      summary: ATTENDANCE_STATUSES.filter((status) => counts[status] > 0).map((status) => ({
        label: status,
        count: counts[status],
      })),
      sessions: detail.sessions.map((s, i) => ({ ...sessionLine(s, i), current: s.id === session.id })),
    };
  }

  @Post('sessions/:id/register')
  @Redirect()
  async saveRegister(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: FormBody,
    @Req() request: FastifyRequest,
  ) {
    const formUrl = `/sessions/${id}/register`;
    // Reading the register first refuses someone not on the cohort (403) before anything they sent is looked at.
    const { session, rows } = await this.attendance.register(actor, id);
    const names = new Map(rows.map((row) => [row.enrolmentId, row.traineeName]));
    const madeUp = new Set<string>();
    const marks = new Map<string, unknown>();
    for (const [key, value] of Object.entries(body)) {
      const status = STATUS_FIELD.exec(key);
      if (status) marks.set(status[1].toLowerCase(), value);
      const made = MADE_UP_FIELD.exec(key);
      if (made && value !== '') madeUp.add(made[1].toLowerCase());
    }
    const errors: FieldErrors = {};
    const entries: AttendanceEntryDto[] = [];
    for (const [enrolmentId, status] of marks) {
      const name = names.get(enrolmentId) ?? 'A trainee';
      const ticked = madeUp.has(enrolmentId);
      const { value, errors: entryErrors } = await validateForm(AttendanceEntryDto, {
        enrolmentId,
        status,
        madeUp: ticked,
      });
      if (entryErrors) errors[`mark-${enrolmentId}`] = [`${name}: choose present, late, absent or excused`];
      else if (ticked && status !== 'excused')
        errors[`mark-${enrolmentId}`] = [`${name}: tick made up only for an excused absence`];
      else entries.push(value);
    }
    for (const enrolmentId of madeUp) {
      if (!marks.has(enrolmentId) && !errors[`mark-${enrolmentId}`])
        errors[`mark-${enrolmentId}`] = [
          `${names.get(enrolmentId) ?? 'A trainee'}: choose excused as well as made up`,
        ];
    }
    if (Object.keys(errors).length > 0) return backToForm(request, formUrl, errors, body);
    if (entries.length === 0) {
      return backToForm(
        request,
        formUrl,
        { register: ['Choose present, late, absent or excused for at least one trainee'] },
        body,
      );
    }
    try {
      await this.attendance.record(actor, id, entries);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      return backToForm(request, formUrl, { register: [error.message] }, body);
    }
    const tally = ATTENDANCE_STATUSES.map(
      (status) => [entries.filter((entry) => entry.status === status).length, status] as const,
    )
      .filter(([count]) => count > 0)
      .map(([count, status]) => `${count} ${status}`)
      .join(', ');
    setFlash(request, {
      kind: 'success',
      text: `The register for ${session.title} has been saved: ${tally}.`,
    });
    return redirectTo(formUrl);
  }

  @Get('cohorts/:id/progress')
  @Render('my/cohort-progress')
  async cohortProgress(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    const reports = await this.progress.forCohort(actor, id);
    const detail = await this.cohorts.detail(actor, id);
    const keys: string[] = [];
    for (const report of reports)
      for (const row of report.requirements) if (!keys.includes(row.key)) keys.push(row.key);
    const register = registerSession(detail.sessions, Date.now());
    return {
      title: `Progress: ${detail.cohort.title}`,
      cohort: {
        id: detail.cohort.id,
        title: detail.cohort.title,
        courseName: courseName(detail.cohort.courseVersion?.courseCode),
      },
      columns: keys.map((key) => ({ key, label: requirementLabel(key) })),
      rows: reports.map((report) => ({
        traineeName: report.traineeName,
        enrolmentId: report.enrolmentId,
        completed: report.status === 'completed',
        eligible: report.eligible,
        cells: keys.map((key) => {
          const row = report.requirements.find((r) => r.key === key);
          return row ? requirementView(row) : { key, label: requirementLabel(key), missing: true };
        }),
      })),
      eligibleCount: reports.filter((report) => report.eligible).length,
      register: register ? { id: register.id, title: register.title } : null,
    };
  }

  // ---- Trainee -----------------------------------------------------------------------------------------------

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
        ...sessionLine(session, index),
        cohortId: detail.cohort.id,
        cohortTitle: detail.cohort.title,
        venue:
          session.venue ?? (detail.cohort.deliveryMode === 'online' ? 'Online' : (detail.cohort.venue ?? '')),
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

  @Post('my/cohorts/:id/request')
  @Roles('trainee')
  @Redirect()
  async requestPlace(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Req() request: FastifyRequest,
  ) {
    try {
      await this.enrolments.enrol(actor, id, actor.id);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      return backToForm(request, `/my/courses#cohort-${id}`, { [`cohort-${id}`]: [error.message] }, {});
    }
    setFlash(request, {
      kind: 'success',
      text: 'You have asked for a place. A training lead will confirm it, and you will get an e-mail.',
    });
    return redirectTo('/my/courses');
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
    try {
      await this.enrolments.withdraw(actor, enrolment.cohortId, id);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      setFlash(request, { kind: 'important', text: error.message });
      return redirectTo('/my/courses');
    }
    setFlash(request, { kind: 'success', text: 'You have withdrawn. Your place has been given up.' });
    return redirectTo('/my/courses');
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
