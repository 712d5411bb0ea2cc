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
import { answerForm } from 'src/common/form-submission';
import { formList, formText } from 'src/common/form-options';
import { setFlash, submittedValues } from 'src/common/page-context';
import type { AuthUser } from 'src/common/request-context';
import { formValue } from 'src/common/validation';
import { competencyGridView, itemForm, STATE_LABELS } from 'src/competencies/competencies.presenter';
import { CompetenciesService } from 'src/competencies/competencies.service';
import { RevokeSignOffFormDto, SignOffDto } from 'src/competencies/dto/competency.dto';

type FormBody = Record<string, unknown>;

/** A trainee's competency grid, with the sign-off and revoke forms for those who may use them. */
@ApiExcludeController()
@Controller()
export class CompetenciesPagesController {
  constructor(private readonly competencies: CompetenciesService) {}

  @Get('enrolments/:id/competencies')
  @Render('competencies/grid')
  async grid(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: Record<string, unknown>,
    @Req() request: FastifyRequest,
  ) {
    const view = await this.competencies.forEnrolment(actor, id);
    const acceptedEntries = await this.competencies.acceptedEntries(view);
    const grid = competencyGridView({
      view,
      viewerId: actor.id,
      acceptedEntries,
      values: submittedValues(request),
      open: formText(query.open),
    });
    return { title: grid.heading, ...grid };
  }

  @Post('enrolments/:id/competencies/:code/sign-offs')
  @Roles('admin', 'training_lead', 'facilitator')
  @Redirect()
  async signOff(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('code') code: string,
    @Body() body: FormBody,
    @Req() request: FastifyRequest,
  ) {
    // Who may sign off is settled before the form is read, so that nobody else learns how it is checked.
    await this.competencies.assertMaySignOffOn(actor, id);
    const input = {
      outcome: body.outcome,
      evidenceEntryIds: formList(body.evidenceEntryIds),
      comment: body.comment,
    };
    const form = itemForm(id, code, 'sign-off', input);
    return answerForm(request, form, async () => {
      const saved = await this.competencies.signOff(actor, id, code, await formValue(SignOffDto, input));
      setFlash(request, { kind: 'success', text: `Sign-off recorded: ${STATE_LABELS[saved.outcome]}.` });
      return form.url;
    });
  }

  @Post('enrolments/:id/competencies/:code/revoke')
  @Roles('admin', 'training_lead', 'facilitator')
  @Redirect()
  async revoke(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('code') code: string,
    @Body() body: FormBody,
    @Req() request: FastifyRequest,
  ) {
    await this.competencies.assertMaySignOffOn(actor, id);
    const form = itemForm(id, code, 'revoke', { reason: body.reason });
    return answerForm(request, form, async () => {
      const { signOffId, reason } = await formValue(RevokeSignOffFormDto, {
        signOffId: body.signOffId,
        reason: body.reason,
      });
      await this.competencies.revoke(actor, signOffId, { reason });
      setFlash(request, { kind: 'success', text: 'The sign-off has been revoked.' });
      return form.url;
    });
  }
}
