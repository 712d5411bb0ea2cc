import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiTags } from '@nestjs/swagger';
import { CurrentUser, Public, Roles } from 'src/common/access.decorators';
import { RateLimited } from 'src/common/rate-limits';
import type { AuthUser } from 'src/common/request-context';
import { certificateView, cohortCertificatesJson } from 'src/certificates/certificates.presenter';
import { CertificatesService } from 'src/certificates/certificates.service';
import { RevokeCertificateDto } from 'src/certificates/dto/revoke.dto';

@ApiTags('certificates')
@Controller('api/v1')
export class CertificatesController {
  constructor(private readonly certificates: CertificatesService) {}

  /** 422 listing the unmet rows unless the progress report says eligible; 409 if one has been issued already. */
  @Post('enrolments/:id/certificate')
  @HttpCode(202)
  @Roles('admin', 'training_lead')
  async issue(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return certificateView(await this.certificates.issue(actor, id));
  }

  /** Each trainee of the cohort with their eligibility and certificate, and how the run of certificates is going. */
  @Get('cohorts/:id/certificates')
  @Roles('admin', 'training_lead')
  async forCohort(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return cohortCertificatesJson(await this.certificates.forCohort(actor, id));
  }

  @Get('certificates/:id')
  async get(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return certificateView(await this.certificates.get(actor, id));
  }

  @Get('me/certificates')
  async mine(@CurrentUser() actor: AuthUser) {
    return (await this.certificates.mine(actor)).map(certificateView);
  }

  /** The cohort's certificates as one ZIP of PDFs. */
  @Get('cohorts/:id/certificates.zip')
  @Roles('admin', 'training_lead')
  async zip(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const zip = await this.certificates.cohortZip(actor, id);
    void reply
      .header('content-type', 'application/zip')
      .header('content-disposition', `attachment; filename="certificates-${id}.zip"`);
    return zip;
  }

  /** Every eligible trainee without a certificate; the PDFs are made in the background. */
  @Post('cohorts/:id/certificates')
  @HttpCode(202)
  @Roles('admin', 'training_lead')
  issueForCohort(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.certificates.issueForCohort(actor, id);
  }

  /** The PDF, for the trainee it names and the leads of its cohort; 409 until it has been made. */
  @Get('certificates/:id/pdf')
  async pdf(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { certificate, content } = await this.certificates.pdf(actor, id);
    void reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', `attachment; filename="${certificate.serial}.pdf"`);
    return content;
  }

  /** An Open Badges 3.0 credential: the JSON, and the same signed as a VC-JWT (EdDSA). */
  @Get('certificates/:id/credential')
  credential(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.certificates.credential(actor, id);
  }

  /** Public: the 1EdTech revocation list each credential's `credentialStatus` names. */
  @Get('certificates/revocations')
  @Public()
  @RateLimited('public')
  revocations() {
    return this.certificates.revocationList();
  }

  /** A failed render tried again, with a new round of attempts. */
  @Post('certificates/:id/retry')
  @HttpCode(200)
  @Roles('admin', 'training_lead')
  async retry(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return certificateView(await this.certificates.retry(actor, id));
  }

  /** A new certificate with the holder's name as it is now; the old one verifies as superseded. */
  @Post('certificates/:id/reissue')
  @Roles('admin', 'training_lead')
  async reissue(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return certificateView(await this.certificates.reissue(actor, id));
  }

  @Post('certificates/:id/revoke')
  @HttpCode(200)
  @Roles('admin', 'training_lead')
  async revoke(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: RevokeCertificateDto,
  ) {
    return certificateView(await this.certificates.revoke(actor, id, dto.reason));
  }

  /** Public: whether a certificate is valid, revoked or superseded, and what it says on its face. */
  @Get('verify/:code')
  @Public()
  @RateLimited('public')
  verify(@Param('code') code: string) {
    return this.certificates.verify(code);
  }
}

/** Public keys at the address credentials name, so anyone can check a credential's signature. */
@ApiTags('certificates')
@Controller('.well-known')
export class CertificateKeysController {
  constructor(private readonly certificates: CertificatesService) {}

  @Get('jwks.json')
  @Public()
  @RateLimited('public')
  jwks() {
    return this.certificates.jwks();
  }
}
