import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Redirect, Render, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentUser, Roles } from 'src/common/access.decorators';
import { answerForm } from 'src/common/form-submission';
import { setFlash } from 'src/common/page-context';
import type { AuthUser } from 'src/common/request-context';
import { formValue } from 'src/common/validation';
import { CohortsService } from 'src/cohorts/cohorts.service';
import { cohortCertificatesView } from 'src/certificates/certificates.presenter';
import { CertificatesService } from 'src/certificates/certificates.service';
import { RevokeCertificateDto } from 'src/certificates/dto/revoke.dto';

/** A cohort's certificates as its training lead issues them: one, or every eligible trainee at once. */
@ApiExcludeController()
@Controller('cohorts/:id/certificates')
@Roles('admin', 'training_lead')
export class CohortCertificatesPagesController {
  constructor(
    private readonly certificates: CertificatesService,
    private readonly cohorts: CohortsService,
  ) {}

  @Get()
  @Render('certificates/cohort')
  async page(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    const [rows, cohort] = await Promise.all([
      this.certificates.forCohort(actor, id),
      this.cohorts.findCohort(id),
    ]);
    return {
      title: `Certificates: ${cohort.title}`,
      cohort: { id, title: cohort.title },
      ...cohortCertificatesView(rows),
    };
  }

  @Post()
  @Redirect()
  async issueAll(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Req() request: FastifyRequest,
  ) {
    return this.act(request, id, async () => {
      const { queued, skipped } = await this.certificates.issueForCohort(actor, id);
      return `${queued.length} certificate${queued.length === 1 ? ' is' : 's are'} being made; ${skipped.length} trainee${skipped.length === 1 ? ' was' : 's were'} skipped.`;
    });
  }

  @Post(':enrolmentId')
  @Redirect()
  async issueOne(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('enrolmentId', ParseUUIDPipe) enrolmentId: string,
    @Req() request: FastifyRequest,
  ) {
    return this.act(request, id, async () => {
      const certificate = await this.certificates.issue(actor, enrolmentId);
      return `Certificate ${certificate.serial} is being made.`;
    });
  }

  @Post(':enrolmentId/retry/:certificateId')
  @Redirect()
  async retry(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('certificateId', ParseUUIDPipe) certificateId: string,
    @Req() request: FastifyRequest,
  ) {
    return this.act(request, id, async () => {
      const certificate = await this.certificates.retry(actor, certificateId);
      return `Certificate ${certificate.serial} is being made again.`;
    });
  }

  @Post(':enrolmentId/reissue/:certificateId')
  @Redirect()
  async reissue(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('certificateId', ParseUUIDPipe) certificateId: string,
    @Req() request: FastifyRequest,
  ) {
    return this.act(request, id, async () => {
      const certificate = await this.certificates.reissue(actor, certificateId);
      return `Certificate ${certificate.serial} is being made in the name ${certificate.holderName}; the old one now verifies as replaced.`;
    });
  }

  @Post(':enrolmentId/revoke/:certificateId')
  @Redirect()
  async revoke(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('certificateId', ParseUUIDPipe) certificateId: string,
    @Body() body: Record<string, unknown>,
    @Req() request: FastifyRequest,
  ) {
    // Who may revoke is settled before the reason is read, so that nobody else learns how it is checked.
    await this.certificates.assertMayIssue(actor, id);
    const url = `/cohorts/${id}/certificates`;
    const values = { reason: body[`reason-${certificateId}`] };
    return answerForm(
      request,
      {
        url,
        values,
        fields: [`reason-${certificateId}`],
        toFormFields: (errors) => ({ [`reason-${certificateId}`]: Object.values(errors).flat() }),
      },
      async () => {
        const { reason } = await formValue(RevokeCertificateDto, values);
        const certificate = await this.certificates.revoke(actor, certificateId, reason);
        setFlash(request, { kind: 'success', text: `Certificate ${certificate.serial} has been revoked.` });
        return url;
      },
    );
  }

  /** A button's action: back to the page with what it did, or with the refusal beside the list. */
  private act(request: FastifyRequest, cohortId: string, work: () => Promise<string>) {
    const url = `/cohorts/${cohortId}/certificates`;
    return answerForm(request, { url, values: {}, fields: ['certificates'] }, async () => {
      setFlash(request, { kind: 'success', text: await work() });
      return url;
    });
  }
}
