import { Body, Controller, Param, ParseUUIDPipe, Post, Redirect, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentUser, Roles } from 'src/common/access.decorators';
import { answerForm } from 'src/common/form-submission';
import { setFlash } from 'src/common/page-context';
import type { AuthUser } from 'src/common/request-context';
import { formValue } from 'src/common/validation';
import { FACILITATOR_ROLE_LABELS } from 'src/cohorts/cohorts.presenter';
import { CohortsService } from 'src/cohorts/cohorts.service';
import { AddFacilitatorDto, EnrolDto } from 'src/cohorts/dto/cohort.dto';
import { EnrolmentsService } from 'src/cohorts/enrolments.service';

type FormBody = Record<string, unknown>;

/** The people of a cohort, as its training lead manages them on the cohort page: places, requests, facilitators. */
@ApiExcludeController()
@Controller('cohorts/:id')
@Roles('admin', 'training_lead')
export class CohortPeoplePagesController {
  constructor(
    private readonly cohorts: CohortsService,
    private readonly enrolments: EnrolmentsService,
  ) {}

  @Post('enrolments')
  @Redirect()
  async enrol(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: FormBody,
    @Req() request: FastifyRequest,
  ) {
    await this.cohorts.assertCanManage(actor, id);
    const values = { traineeId: body.traineeId };
    return answerForm(request, { url: `/cohorts/${id}`, values, fields: ['traineeId'] }, async () => {
      const enrolment = await this.enrolments.enrol(actor, id, (await formValue(EnrolDto, values)).traineeId);
      setFlash(request, {
        kind: 'success',
        text:
          enrolment.status === 'waitlisted'
            ? `The cohort is full: ${enrolment.traineeName} is number ${enrolment.waitlistPosition} on the waiting list.`
            : `${enrolment.traineeName} has a place on this cohort.`,
      });
      return `/cohorts/${id}`;
    });
  }

  @Post('enrolments/:enrolmentId/withdraw')
  @Redirect()
  async withdraw(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('enrolmentId', ParseUUIDPipe) enrolmentId: string,
    @Req() request: FastifyRequest,
  ) {
    return answerForm(request, { url: `/cohorts/${id}`, values: {}, fields: ['enrolments'] }, async () => {
      const { withdrawn, promoted } = await this.enrolments.withdraw(actor, id, enrolmentId);
      setFlash(request, {
        kind: 'success',
        text: `${withdrawn.traineeName} has been withdrawn.${promoted.map((e) => ` ${e.traineeName} from the waiting list now has a place.`).join('')}`,
      });
      return `/cohorts/${id}`;
    });
  }

  @Post('enrolments/:enrolmentId/approve')
  @Redirect()
  async approve(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('enrolmentId', ParseUUIDPipe) enrolmentId: string,
    @Req() request: FastifyRequest,
  ) {
    await this.enrolments.findInCohort(id, enrolmentId);
    return answerForm(request, { url: `/cohorts/${id}`, values: {}, fields: ['requests'] }, async () => {
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

  @Post('enrolments/:enrolmentId/decline')
  @Redirect()
  async decline(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('enrolmentId', ParseUUIDPipe) enrolmentId: string,
    @Req() request: FastifyRequest,
  ) {
    await this.enrolments.findInCohort(id, enrolmentId);
    return answerForm(request, { url: `/cohorts/${id}`, values: {}, fields: ['requests'] }, async () => {
      const enrolment = await this.enrolments.decline(actor, enrolmentId);
      setFlash(request, { kind: 'success', text: `${enrolment.traineeName}’s request has been declined.` });
      return `/cohorts/${id}`;
    });
  }

  @Post('facilitators')
  @Redirect()
  async addFacilitator(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: FormBody,
    @Req() request: FastifyRequest,
  ) {
    await this.cohorts.assertCanManage(actor, id);
    const values = { userId: body.userId, role: body.role };
    return answerForm(request, { url: `/cohorts/${id}`, values, fields: ['userId', 'role'] }, async () => {
      const dto = await formValue(AddFacilitatorDto, values);
      const detail = await this.cohorts.addFacilitator(actor, id, dto);
      const name = detail.facilitators.find((f) => f.userId === dto.userId)?.name ?? 'The facilitator';
      setFlash(request, {
        kind: 'success',
        text: `${name} has been added as ${FACILITATOR_ROLE_LABELS[dto.role].toLowerCase()}.`,
      });
      return `/cohorts/${id}`;
    });
  }

  @Post('facilitators/:userId/remove')
  @Redirect()
  async removeFacilitator(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('userId', ParseUUIDPipe) userId: string,
    @Req() request: FastifyRequest,
  ) {
    return answerForm(request, { url: `/cohorts/${id}`, values: {}, fields: ['facilitators'] }, async () => {
      const { removed } = await this.cohorts.removeFacilitator(actor, id, userId);
      setFlash(request, { kind: 'success', text: `${removed} is no longer a facilitator of this cohort.` });
      return `/cohorts/${id}`;
    });
  }
}
