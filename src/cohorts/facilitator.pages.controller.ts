import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Redirect, Render, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentUser, Roles } from 'src/common/access.decorators';
import { answerForm } from 'src/common/form-submission';
import { setFlash } from 'src/common/page-context';
import type { AuthUser } from 'src/common/request-context';
import { FieldErrors, validateForm, ValidationFailedException } from 'src/common/validation';
import { ATTENDANCE_STATUSES, AttendanceStatus } from 'src/cohorts/attendance.entity';
import { AttendanceService, REGISTER_OPENS_BEFORE_START_MS } from 'src/cohorts/attendance.service';
import { CohortsService } from 'src/cohorts/cohorts.service';
import { AttendanceEntryDto } from 'src/cohorts/dto/cohort.dto';
import { ProgressService } from 'src/cohorts/progress.service';
import {
  COHORT_STATUS_LABELS,
  COHORT_STATUS_TAGS,
  courseName,
  FACILITATOR_ROLE_TEXT,
  isScheduled,
  londonTime,
  MADE_UP_FIELD,
  registerRowView,
  registerSession,
  requirementLabel,
  requirementView,
  sessionLine,
  STATUS_FIELD,
} from 'src/cohorts/cohorts.presenter';

type FormBody = Record<string, unknown>;

/** A facilitator's own pages: their cohorts, the registers they take and their cohorts' progress. */
@ApiExcludeController()
@Controller()
export class FacilitatorPagesController {
  constructor(
    private readonly cohorts: CohortsService,
    private readonly attendance: AttendanceService,
    private readonly progress: ProgressService,
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
      const numbered = detail.sessions.map((session, index) => sessionLine(session, index, detail.cohort));
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
        ...sessionLine(session, index, detail.cohort),
        count: detail.sessions.length,
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
      sessions: detail.sessions.map((s, i) => ({
        ...sessionLine(s, i, detail.cohort),
        current: s.id === session.id,
      })),
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
    const form = {
      url: formUrl,
      values: body,
      fields: ['register', ...rows.map((row) => `mark-${row.enrolmentId}`)],
    };
    return answerForm(request, form, async () => {
      if (Object.keys(errors).length > 0) throw new ValidationFailedException(errors);
      if (entries.length === 0)
        throw new ValidationFailedException({
          register: ['Choose present, late, absent or excused for at least one trainee'],
        });
      await this.attendance.record(actor, id, entries);
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
      return formUrl;
    });
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
}
