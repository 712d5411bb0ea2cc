import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Redirect, Render, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentUser, Roles } from 'src/common/access.decorators';
import { answerForm } from 'src/common/form-submission';
import { setFlash, submittedValues } from 'src/common/page-context';
import type { AuthUser } from 'src/common/request-context';
import { formValue } from 'src/common/validation';
import { accreditationRowsView } from 'src/courses/accreditations.presenter';
import { RenewAccreditationDto } from 'src/courses/dto/course.dto';
import { NEAR_EXPIRY_DAYS, QualificationsService } from 'src/courses/qualifications.service';

const PAGE = '/accreditations';

/** Accreditations near expiry, for the leads who arrange renewals, with a renewal form on each. */
@ApiExcludeController()
@Controller('accreditations')
@Roles('admin', 'training_lead')
export class AccreditationsPagesController {
  constructor(private readonly qualifications: QualificationsService) {}

  @Get()
  @Render('courses/accreditations')
  async page(@CurrentUser() actor: AuthUser, @Req() request: FastifyRequest) {
    const rows = await this.qualifications.nearExpiry(actor);
    return {
      title: 'Facilitator accreditations near expiry',
      values: submittedValues(request),
      withinDays: NEAR_EXPIRY_DAYS,
      rows: accreditationRowsView(rows),
    };
  }

  @Post(':id/renewals')
  @Redirect()
  async renew(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Record<string, unknown>,
    @Req() request: FastifyRequest,
  ) {
    // Who may renew is settled before the form is read, so that nobody else learns how it is checked.
    await this.qualifications.assertMayRenew(actor, id);
    const fields = { renewedOn: `renewedOn-${id}`, note: `note-${id}` };
    const values = { [fields.renewedOn]: body[fields.renewedOn], [fields.note]: body[fields.note] };
    return answerForm(
      request,
      {
        url: PAGE,
        values,
        fields: Object.values(fields),
        toFormFields: (errors) =>
          Object.fromEntries(
            Object.entries(errors).map(([field, messages]) => [
              fields[field as keyof typeof fields] ?? field,
              messages,
            ]),
          ),
      },
      async () => {
        const dto = await formValue(RenewAccreditationDto, {
          renewedOn: values[fields.renewedOn],
          note: values[fields.note],
        });
        const renewed = await this.qualifications.renew(actor, id, dto);
        setFlash(request, {
          kind: 'success',
          text: `Renewal recorded: ${renewed.holderName}’s accreditation now runs until ${renewed.expiresOn}.`,
        });
        return PAGE;
      },
    );
  }
}
