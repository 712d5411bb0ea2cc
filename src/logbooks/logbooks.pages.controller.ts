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
import { formText } from 'src/common/form-options';
import { answerForm } from 'src/common/form-submission';
import { setFlash, submittedValues } from 'src/common/page-context';
import { notFound } from 'src/common/refusal';
import type { AuthUser } from 'src/common/request-context';
import { formValue } from 'src/common/validation';
import { AttendanceService } from 'src/cohorts/attendance.service';
import { CohortsService } from 'src/cohorts/cohorts.service';
import { ProgressService } from 'src/cohorts/progress.service';
import { describeSessionTime } from 'src/cohorts/schedule';
import { londonDay, londonMoment } from 'src/common/london-date';
import { CreateEntryDto, ReviewEntryDto, SubmitEntryDto, UpdateEntryDto } from 'src/logbooks/dto/entry.dto';
import { ENTRY_KIND_RULES, ENTRY_KINDS, EntryKind, PROMPT_FIELDS } from 'src/logbooks/entry-kinds';
import {
  changesSince,
  ENTRY_STATUS_LABELS,
  ENTRY_STATUS_TAGS,
  entryFormView,
  historyView,
  logbookView,
  textOf,
} from 'src/logbooks/logbook.presenter';
import type { LogbookAccess } from 'src/logbooks/logbooks.service';
import { LogbooksService } from 'src/logbooks/logbooks.service';
import { screenFields } from 'src/logbooks/screener';
import { UsersService } from 'src/users/users.service';

type FormBody = Record<string, unknown>;

const ENTRY_FIELDS = [
  'sessionId',
  'occurredOn',
  'minutes',
  'stage',
  'skills',
  'observed',
  'observedBy',
  ...PROMPT_FIELDS,
  'confirmNames',
];

/** What an entry form posts, as the DTOs read it: radios and checkboxes as values, the rest as typed. */
function entryInput(body: FormBody): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const field of ENTRY_FIELDS) if (field in body && field !== 'confirmNames') input[field] = body[field];
  if ('observed' in body)
    input.observed = body.observed === 'true' ? true : body.observed === 'false' ? false : null;
  return input;
}

/** The trainee's logbook pages, and the facilitator's review queue and review. */
@ApiExcludeController()
@Controller()
export class LogbooksPagesController {
  constructor(
    private readonly logbooks: LogbooksService,
    private readonly progress: ProgressService,
    private readonly attendance: AttendanceService,
    private readonly cohorts: CohortsService,
    private readonly users: UsersService,
  ) {}

  @Get('enrolments/:id/logbook')
  @Render('logbooks/logbook')
  async logbook(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    const { access, entries } = await this.logbooks.logbook(actor, id);
    const [report, reads, people] = await Promise.all([
      this.progress.forEnrolment(actor, id),
      access.own ? this.logbooks.reads(id) : [],
      this.users.contacts([access.traineeId]),
    ]);
    const names = await this.users.contacts(reads.map((read) => read.actorId ?? ''));
    return {
      title: access.own ? 'Your logbook' : `Logbook of ${people.get(access.traineeId)?.name ?? 'a trainee'}`,
      enrolmentId: id,
      ...logbookView({
        courseCode: access.courseCode,
        own: access.own,
        entries,
        requirements: report.requirements,
        reads: reads.map((read) => ({ name: names.get(read.actorId ?? '')?.name ?? 'Someone', at: read.at })),
      }),
    };
  }

  @Get('enrolments/:id/logbook/new')
  @Roles('trainee')
  @Render('logbooks/new')
  async newEntry(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Query('kind') kind: string | undefined,
    @Req() request: FastifyRequest,
  ) {
    const access = await this.logbooks.access(actor, id);
    // Without a kind, the course's first: a session reflection, or a supervision session on that course.
    kind ??= ENTRY_KINDS.find((candidate) =>
      ENTRY_KIND_RULES[candidate].courses.includes(access.courseCode),
    )!;
    if (!(ENTRY_KINDS as readonly string[]).includes(kind)) throw notFound('That kind of entry');
    const values = { occurredOn: new Date().toISOString().slice(0, 10), ...submittedValues(request) };
    return {
      title: `New ${ENTRY_KIND_RULES[kind as EntryKind].label.toLowerCase()}`,
      enrolmentId: id,
      ...entryFormView({
        kind: kind as EntryKind,
        values,
        sessions: await this.sessionChoices(access, kind as EntryKind),
        findings: [],
      }),
      values,
    };
  }

  @Post('enrolments/:id/logbook/entries')
  @Roles('trainee')
  @Redirect()
  async create(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: FormBody,
    @Req() request: FastifyRequest,
  ) {
    // Whose logbook it is is settled before the form is read, so that nobody else learns how it is checked.
    await this.logbooks.access(actor, id);
    const kind = formText(body.kind);
    const values = entryInput(body);
    // Back to the form of this kind; a kind that is not one goes back to the default form, never into a URL.
    const known = (ENTRY_KINDS as readonly string[]).includes(kind) ? `?kind=${kind}` : '';
    const form = {
      url: `/enrolments/${id}/logbook/new${known}`,
      values: body,
      fields: ['kind', ...ENTRY_FIELDS],
    };
    return answerForm(request, form, async () => {
      const entry = await this.logbooks.create(
        actor,
        id,
        await formValue(CreateEntryDto, { ...values, kind }),
      );
      setFlash(request, {
        kind: 'success',
        text: 'Your draft has been saved. Submit it when it is finished.',
      });
      return `/logbook/entries/${entry.id}`;
    });
  }

  @Get('logbook/review-queue')
  @Roles('facilitator', 'training_lead', 'admin')
  @Render('logbooks/queue')
  async reviewQueue(@CurrentUser() actor: AuthUser) {
    const entries = await this.logbooks.reviewQueue(actor);
    const people = await this.users.contacts(entries.map((entry) => entry.enrolment!.traineeId));
    return {
      title: 'Logbook entries to review',
      entries: entries.map((entry) => ({
        id: entry.id,
        trainee: people.get(entry.enrolment!.traineeId)?.name ?? '',
        kind: ENTRY_KIND_RULES[entry.kind].label,
        occurredOn: londonDay(entry.occurredOn),
        submittedAt: entry.submittedAt ? londonMoment(entry.submittedAt) : '',
        revision: entry.revision,
      })),
    };
  }

  @Get('logbook/entries/:id')
  @Render('logbooks/entry')
  async entry(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Req() request: FastifyRequest,
  ) {
    const { access, entry, revisions, reviews } = await this.logbooks.entry(actor, id);
    const editable = access.own && (entry.status === 'draft' || entry.status === 'returned');
    const people = await this.users.contacts([
      access.traineeId,
      ...reviews.map((review) => review.reviewerId),
    ]);
    const named = reviews.map((review) => ({
      ...review,
      reviewerName: people.get(review.reviewerId)?.name ?? '',
    }));
    const values = { ...entry, ...submittedValues(request) } as Record<string, unknown>;
    // The draft as saved, screened as it would be on submission, so each finding is shown where it is.
    const findings = editable
      ? screenFields(Object.fromEntries(PROMPT_FIELDS.map((field) => [field, textOf(values[field])])))
      : [];
    const lastReturned = [...reviews].reverse().find((review) => review.decision === 'returned');
    return {
      title: `${ENTRY_KIND_RULES[entry.kind].label}, ${londonDay(entry.occurredOn)}`,
      entry: {
        id: entry.id,
        enrolmentId: entry.enrolmentId,
        statusLabel: ENTRY_STATUS_LABELS[entry.status],
        statusTag: ENTRY_STATUS_TAGS[entry.status],
        trainee: people.get(access.traineeId)?.name ?? '',
      },
      own: access.own,
      editable,
      feedback: entry.status === 'returned' ? named.at(-1) : null,
      form: editable
        ? entryFormView({
            kind: entry.kind,
            values,
            sessions: await this.sessionChoices(access, entry.kind),
            findings,
          })
        : null,
      values,
      current: editable
        ? null
        : ENTRY_KIND_RULES[entry.kind].prompts.map((prompt) => ({
            label: prompt.label,
            text: entry[prompt.field],
          })),
      reviewable: access.reviews && entry.status === 'submitted',
      changes:
        access.reviews && lastReturned
          ? changesSince(
              revisions.find((revision) => revision.number === lastReturned.revision),
              revisions.at(-1),
            )
          : [],
      history: historyView(revisions, named),
    };
  }

  @Post('logbook/entries/:id')
  @Roles('trainee')
  @Redirect()
  async save(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: FormBody,
    @Req() request: FastifyRequest,
  ) {
    const url = `/logbook/entries/${id}`;
    return answerForm(request, { url, values: body, fields: ENTRY_FIELDS }, async () => {
      await this.logbooks.update(actor, id, await formValue(UpdateEntryDto, entryInput(body)));
      if (formText(body.action) !== 'submit') {
        setFlash(request, { kind: 'success', text: 'Your draft has been saved.' });
        return url;
      }
      const confirmNames = body.confirmNames === 'yes';
      await this.logbooks.submit(actor, id, await formValue(SubmitEntryDto, { confirmNames }));
      setFlash(request, {
        kind: 'success',
        text: 'Your entry has been submitted. Your facilitator will review it.',
      });
      return url;
    });
  }

  @Post('logbook/entries/:id/review')
  @Roles('facilitator', 'training_lead', 'admin')
  @Redirect()
  async review(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: FormBody,
    @Req() request: FastifyRequest,
  ) {
    await this.logbooks.access(actor, (await this.logbooks.findEntry(id)).enrolmentId);
    const values = { decision: body.decision, feedback: body.feedback };
    const form = { url: `/logbook/entries/${id}#review`, values, fields: ['decision', 'feedback'] };
    return answerForm(request, form, async () => {
      const dto = await formValue(ReviewEntryDto, values);
      await this.logbooks.review(actor, id, dto);
      setFlash(request, {
        kind: 'success',
        text:
          dto.decision === 'accepted'
            ? 'The entry has been accepted.'
            : 'The entry has been returned with your feedback.',
      });
      return '/logbook/review-queue';
    });
  }

  /** The sessions an entry of this kind can be about: attended ones of the cohort, or co-facilitated ones. */
  private async sessionChoices(access: LogbookAccess, kind: EntryKind) {
    const rules = ENTRY_KIND_RULES[kind];
    if (rules.coFacilitatedSession) {
      const sessions = await this.cohorts.sessionsFacilitatedBy(access.traineeId, 'foundation');
      return sessions.map((session) => ({
        id: session.id,
        text: `${session.title}, ${describeSessionTime(session.startsAt, session.endsAt)}`,
      }));
    }
    if (!rules.attendedSession) return [];
    const [attended, cohort] = await Promise.all([
      this.attendance.attendedSessionIds(access.enrolmentId),
      this.cohorts.sessionsOf(access.cohortId),
    ]);
    return cohort
      .filter((session) => attended.has(session.id))
      .map((session) => ({
        id: session.id,
        text: `${session.title}, ${describeSessionTime(session.startsAt, session.endsAt)}`,
      }));
  }
}
