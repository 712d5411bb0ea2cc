import { Controller, Get, Inject, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { CurrentUser, Roles } from 'src/common/access.decorators';
import type { AuthUser } from 'src/common/request-context';
import { APP_CONFIG, AppConfig } from 'src/config/app-config';
import { CERTIFICATE_STATUS_TAGS } from 'src/certificates/certificates.presenter';
import { CertificatesService } from 'src/certificates/certificates.service';
import { accreditationRowsView } from 'src/courses/accreditations.presenter';
import { COURSE_NAMES } from 'src/courses/course-code';
import { QualificationsService } from 'src/courses/qualifications.service';

/**
 * A person's certificates (the PDF, the address that proves it, the credential to add to a wallet) and the
 * accreditations they hold to facilitate, with their expiry.
 */
@ApiExcludeController()
@Controller('my/certificates')
@Roles('trainee', 'facilitator')
export class MyCertificatesPagesController {
  constructor(
    private readonly certificates: CertificatesService,
    private readonly qualifications: QualificationsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Render('certificates/mine')
  async page(@CurrentUser() actor: AuthUser) {
    const [mine, accreditations] = await Promise.all([
      this.certificates.mine(actor),
      this.qualifications.accreditations(actor.id),
    ]);
    return {
      title: 'Your certificates',
      accreditations: accreditationRowsView(accreditations),
      certificates: mine.map((certificate) => ({
        id: certificate.id,
        serial: certificate.serial,
        course: COURSE_NAMES[certificate.courseCode],
        issuedOn: certificate.issuedAt.toISOString().slice(0, 10),
        tag: CERTIFICATE_STATUS_TAGS[certificate.status],
        downloadable: certificate.sha256 !== null && certificate.status !== 'revoked',
        verificationUrl: `${this.config.APP_URL}/verify/${certificate.verificationCode}`,
      })),
    };
  }
}
