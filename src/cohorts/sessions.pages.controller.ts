import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Redirect, Render, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import { CurrentUser, Roles } from 'src/common/access.decorators';
import { answerForm } from 'src/common/form-submission';
import { setFlash, submittedValues } from 'src/common/page-context';
import { notFound } from 'src/common/refusal';
import type { AuthUser } from 'src/common/request-context';
import { validateForm, ValidationFailedException } from 'src/common/validation';
import { CohortsService } from 'src/cohorts/cohorts.service';
import { SessionsInputDto, UpdateSessionDto } from 'src/cohorts/dto/cohort.dto';
import { describeSessionTime, LONDON } from 'src/cohorts/schedule';
import {
  readSchedule,
  readSessionTimes,
  SCHEDULE_FIELDS,
  scheduleErrorsFromDto,
  SESSION_FIELDS,
  sessionFormErrors,
} from 'src/cohorts/schedule.form';

type FormBody = Record<string, unknown>;

/** A cohort's sessions as its training lead changes them: adding more, moving one, cancelling one. */
@ApiExcludeController()
@Controller()
@Roles('admin', 'training_lead')
export class SessionsPagesController {
  constructor(private readonly cohorts: CohortsService) {}

  @Get('cohorts/:id/sessions/new')
  @Render('cohorts/form')
  async newSessions(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Req() request: FastifyRequest,
  ) {
    const detail = await this.cohorts.managedDetail(actor, id);
    const { cohort, actions } = detail;
    const values = submittedValues(request);
    const last = detail.sessions.at(-1);
    return {
      title: `Add sessions to ${cohort.title}`,
      isNew: false,
      action: `/cohorts/${id}/sessions`,
      backHref: `/cohorts/${id}`,
      backText: cohort.title,
      canCreate: actions.edit,
      refusal: actions.edit ? null : `A ${cohort.status} cohort cannot be changed.`,
      lastSession: last ? describeSessionTime(last.startsAt, last.endsAt) : null,
      current: { intervalWeeks: '1', count: '1', ...values, scheduleMode: values.scheduleMode ?? 'weekly' },
      countHint: `The course usually has ${cohort.courseVersion!.rules.sessions} sessions; this cohort has ${detail.sessions.length}.`,
    };
  }

  @Post('cohorts/:id/sessions')
  @Redirect()
  async addSessions(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: FormBody,
    @Req() request: FastifyRequest,
  ) {
    // Who may add sessions is settled before what was typed, so that nobody else learns how the form is checked.
    await this.cohorts.assertCanManage(actor, id);
    const schedule = readSchedule(body);
    const toFormFields = (errors: Record<string, string[]>) => scheduleErrorsFromDto(errors, schedule.mode);
    const form = { url: `/cohorts/${id}/sessions/new`, values: body, fields: SCHEDULE_FIELDS, toFormFields };
    return answerForm(request, form, async () => {
      const { value, errors } = await validateForm(SessionsInputDto, schedule.input);
      const refused = { ...scheduleErrorsFromDto(errors, schedule.mode), ...schedule.errors };
      if (Object.keys(refused).length > 0) throw new ValidationFailedException(refused);
      const { added } = await this.cohorts.addSessions(actor, id, value);
      const count = added.length;
      setFlash(request, {
        kind: 'success',
        text: `${count} session${count === 1 ? ' has' : 's have'} been added.`,
      });
      return `/cohorts/${id}`;
    });
  }

  @Get('sessions/:id/edit')
  @Render('cohorts/session')
  async editSession(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Req() request: FastifyRequest,
  ) {
    const found = await this.cohorts.findSession(id);
    const detail = await this.cohorts.managedDetail(actor, found.cohortId);
    const session = detail.sessions.find((s) => s.id === id);
    if (!session) throw notFound('The session');
    const start = DateTime.fromJSDate(session.startsAt, { zone: LONDON });
    const end = DateTime.fromJSDate(session.endsAt, { zone: LONDON });
    const { cohort, actions } = detail;
    return {
      title: `Change ${session.title}`,
      cohort: { id: cohort.id, title: cohort.title },
      venueHint: cohort.venue
        ? `Leave blank to use the cohort’s venue, ${cohort.venue}`
        : 'Leave blank to use the cohort’s venue',
      session: {
        id: session.id,
        title: session.title,
        time: describeSessionTime(session.startsAt, session.endsAt),
      },
      editable: actions.edit && session.status === 'scheduled',
      refusal:
        session.status === 'cancelled'
          ? 'This session was cancelled.'
          : actions.edit
            ? null
            : `A ${cohort.status} cohort cannot be changed.`,
      current: {
        date: start.toFormat('yyyy-LL-dd'),
        startTime: start.toFormat('HH:mm'),
        endTime: end.toFormat('HH:mm'),
        venue: session.venue ?? '',
        title: session.title,
        ...submittedValues(request),
      },
    };
  }

  @Post('sessions/:id/edit')
  @Redirect()
  async updateSession(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: FormBody,
    @Req() request: FastifyRequest,
  ) {
    const session = await this.cohorts.findSession(id);
    await this.cohorts.assertCanManage(actor, session.cohortId);
    const form = {
      url: `/sessions/${id}/edit`,
      values: body,
      fields: SESSION_FIELDS,
      toFormFields: sessionFormErrors,
    };
    return answerForm(request, form, async () => {
      const { startsAt, endsAt, errors } = readSessionTimes(body);
      const { value, errors: dtoErrors } = await validateForm(UpdateSessionDto, {
        ...(startsAt && endsAt ? { startsAt, endsAt } : {}),
        venue: typeof body.venue === 'string' ? body.venue.trim() : body.venue,
        title: typeof body.title === 'string' ? body.title.trim() : body.title,
      });
      const refused = { ...sessionFormErrors(dtoErrors), ...errors };
      if (Object.keys(refused).length > 0) throw new ValidationFailedException(refused);
      const updated = await this.cohorts.updateSession(actor, id, value);
      setFlash(request, {
        kind: 'success',
        text: `${updated.title} is now on ${describeSessionTime(updated.startsAt, updated.endsAt)}.`,
      });
      return `/cohorts/${session.cohortId}`;
    });
  }

  @Post('sessions/:id/cancel')
  @Redirect()
  async cancelSession(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Req() request: FastifyRequest,
  ) {
    const session = await this.cohorts.findSession(id);
    return answerForm(request, { url: `/sessions/${id}/edit`, values: {}, fields: ['cancel'] }, async () => {
      const cancelled = await this.cohorts.updateSession(actor, id, { status: 'cancelled' });
      setFlash(request, {
        kind: 'success',
        text: `${cancelled.title} (${describeSessionTime(cancelled.startsAt, cancelled.endsAt)}) has been cancelled.`,
      });
      return `/cohorts/${session.cohortId}`;
    });
  }
}
