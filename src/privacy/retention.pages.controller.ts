import { Body, Controller, Get, Post, Redirect, Render, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentUser, Roles } from 'src/common/access.decorators';
import { answerForm } from 'src/common/form-submission';
import { setFlash, submittedValues } from 'src/common/page-context';
import type { AuthUser } from 'src/common/request-context';
import { FieldErrors, ValidationFailedException } from 'src/common/validation';
import { keepMonthsField, retentionPage, toRetentionFormFields } from 'src/privacy/retention.presenter';
import { RetentionService } from 'src/privacy/retention.service';

/** The admins' page of retention periods, with what the next run would remove and what the last one did. */
@ApiExcludeController()
@Controller('admin/retention')
@Roles('admin')
export class RetentionPagesController {
  constructor(private readonly retention: RetentionService) {}

  @Get()
  @Render('privacy/retention')
  async page(@CurrentUser() actor: AuthUser, @Req() request: FastifyRequest) {
    const [policies, due, lastRun] = await Promise.all([
      this.retention.policies(actor),
      this.retention.dryRun(actor),
      this.retention.lastRun(actor),
    ]);
    return retentionPage(policies, due, lastRun, submittedValues(request));
  }

  @Post()
  @Redirect()
  async save(
    @CurrentUser() actor: AuthUser,
    @Body() body: Record<string, unknown>,
    @Req() request: FastifyRequest,
  ) {
    const recordTypes = (await this.retention.policies(actor))
      .filter((policy) => policy.action !== 'keep')
      .map((policy) => policy.recordType);
    const form = {
      url: '/admin/retention',
      values: body,
      fields: recordTypes.map(keepMonthsField),
      toFormFields: toRetentionFormFields(recordTypes),
    };
    return answerForm(request, form, async () => {
      const errors: FieldErrors = {};
      const changes = recordTypes.map((recordType) => {
        const raw = body[keepMonthsField(recordType)];
        const text = typeof raw === 'string' ? raw.trim() : '';
        if (!/^\d{1,5}$/.test(text))
          errors[keepMonthsField(recordType)] = ['Enter the period as a whole number of months'];
        return { recordType, keepMonths: Number(text) };
      });
      if (Object.keys(errors).length > 0) throw new ValidationFailedException(errors);
      await this.retention.update(actor, changes);
      setFlash(request, { kind: 'success', text: 'The retention periods have been saved.' });
      return '/admin/retention';
    });
  }
}
