import { Body, Controller, Get, HttpCode, Param, Post, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from 'src/common/access.decorators';
import { RateLimited } from 'src/common/rate-limits';
import { CertificatesService } from 'src/certificates/certificates.service';

type FormBody = Record<string, unknown>;

const STATUS_TEXT = {
  valid: { tag: 'green', text: 'Valid' },
  revoked: { tag: 'red', text: 'Revoked' },
  expired: { tag: 'orange', text: 'Expired' },
  superseded: { tag: 'grey', text: 'Replaced by a newer certificate' },
} as const;

/** The public page an employer reaches from a certificate's QR code: is it genuine, and is this the file issued? */
@ApiExcludeController()
@Controller('verify')
@Public()
export class CertificatesPagesController {
  constructor(private readonly certificates: CertificatesService) {}

  @Get(':code')
  @RateLimited('public')
  @Render('certificates/verify')
  async verify(@Param('code') code: string) {
    return this.page(code, null);
  }

  /** The visitor's copy of the PDF, checked against the SHA-256 of the one issued; the file is not kept. */
  @Post(':code')
  @HttpCode(200)
  @RateLimited('public')
  @Render('certificates/verify')
  async checkFile(@Param('code') code: string, @Body() body: FormBody) {
    const file = Buffer.isBuffer(body.file) ? body.file : null;
    return this.page(
      code,
      file && file.length > 0 ? await this.certificates.matchesIssuedPdf(code, file) : 'none',
    );
  }

  private async page(code: string, fileMatches: boolean | 'none' | null) {
    const certificate = await this.certificates.verify(code);
    return {
      title: `Certificate ${certificate.serial}`,
      code,
      certificate: { ...certificate, ...STATUS_TEXT[certificate.status] },
      checked: fileMatches !== null && fileMatches !== 'none',
      matches: fileMatches === true,
      noFile: fileMatches === 'none',
    };
  }
}
