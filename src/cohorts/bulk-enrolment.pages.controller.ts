import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Redirect, Render, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentUser, Roles } from 'src/common/access.decorators';
import { formText } from 'src/common/form-options';
import { answerForm } from 'src/common/form-submission';
import { pageResult, setFlash, setPageResult, submittedValues } from 'src/common/page-context';
import type { AuthUser } from 'src/common/request-context';
import { ValidationFailedException } from 'src/common/validation';
import { BulkEnrolmentResult, BulkEnrolmentService } from 'src/cohorts/bulk-enrolment.service';
import { bulkEnrolmentView } from 'src/cohorts/cohorts.presenter';
import { CohortsService } from 'src/cohorts/cohorts.service';
import { MAX_BULK_PEOPLE } from 'src/cohorts/dto/cohort.dto';
import { readPeopleList } from 'src/cohorts/people-list';

type FormBody = Record<string, unknown>;

interface BulkPage {
  list: string;
  result: BulkEnrolmentResult;
}

/**
 * A lead's list of people for one cohort, pasted or uploaded as CSV: first a preview of what will happen to each
 * person, then, once confirmed, the same list carried out and the outcome for each.
 */
@ApiExcludeController()
@Controller('cohorts/:id/enrolments/bulk')
@Roles('admin', 'training_lead')
export class BulkEnrolmentPagesController {
  constructor(
    private readonly cohorts: CohortsService,
    private readonly bulk: BulkEnrolmentService,
  ) {}

  @Get()
  @Render('cohorts/bulk')
  async page(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Req() request: FastifyRequest,
  ) {
    const detail = await this.cohorts.managedDetail(actor, id);
    const kept = pageResult<BulkPage>(request, request.url.split('?')[0]);
    const typed = submittedValues(request).list;
    return {
      title: `Add people to ${detail.cohort.title}`,
      cohort: { id, title: detail.cohort.title },
      editable: detail.actions.edit,
      maxPeople: MAX_BULK_PEOPLE,
      list: typeof typed === 'string' ? typed : (kept?.list ?? ''),
      ...(kept ? bulkEnrolmentView(kept.result, detail.cohort.capacity - detail.counts.enrolled) : {}),
    };
  }

  @Post()
  @Redirect()
  async submit(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: FormBody,
    @Req() request: FastifyRequest,
  ) {
    // Who may enrol is settled before the list is read, so that nobody else learns how it is checked.
    await this.cohorts.assertCanManage(actor, id);
    const url = `/cohorts/${id}/enrolments/bulk`;
    const list = listFrom(body);
    const dryRun = formText(body.action) !== 'confirm';
    return answerForm(request, { url, values: { list }, fields: ['list', 'file'] }, async () => {
      const { people, problems } = readPeopleList(list);
      if (problems.length > 0) throw new ValidationFailedException({ list: problems });
      if (people.length > MAX_BULK_PEOPLE)
        throw new ValidationFailedException({
          list: [`The list has ${people.length} people; add at most ${MAX_BULK_PEOPLE} at a time`],
        });
      const rows = people.map((person) => ({ ...person }));
      const result = await this.bulk.enrol(actor, id, rows, dryRun);
      setPageResult(request, url, { list, result } satisfies BulkPage);
      if (!dryRun) {
        const { enrolled, waitlisted, error } = result.summary;
        setFlash(request, {
          kind: error > 0 ? 'important' : 'success',
          text: `${enrolled} ${enrolled === 1 ? 'person has a place' : 'people have places'} and ${waitlisted} ${waitlisted === 1 ? 'is' : 'are'} on the waiting list.${error > 0 ? ` ${error} could not be added: see why below.` : ''}`,
        });
      }
      return url;
    });
  }
}

/** The list as typed, or as the uploaded CSV file: a file chosen wins over the box. */
function listFrom(body: FormBody): string {
  const file = body.file;
  if (Buffer.isBuffer(file) && file.length > 0) return file.toString('utf8');
  return typeof body.list === 'string' ? body.list : '';
}
