import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { DataSource } from 'typeorm';
import { CertificateFiles } from 'src/certificates/certificate-files';
import { APP_CONFIG, AppConfig } from 'src/config/app-config';
import {
  asRecords,
  DataSubject,
  keysetPages,
  PersonalDataItem,
  PersonalDataSource,
} from 'src/privacy/personal-data';

interface CertificateRecord {
  id: string;
  serial: string;
  sha256: string | null;
}

/** The person's certificates (who issued them is not given: the certificate does not say) and their PDFs. */
@Injectable()
export class CertificatesPersonalData implements PersonalDataSource {
  readonly name = 'certificates';
  readonly recordTypes = [
    {
      name: 'certificates',
      description: 'Your certificates: course, serial number, status and verification code',
    },
    { name: 'certificate-pdfs', description: 'The PDF of each certificate made for you' },
  ];
  private readonly files: CertificateFiles;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.files = new CertificateFiles(config.STORAGE_DIR);
  }

  async *export(subject: DataSubject): AsyncGenerator<PersonalDataItem> {
    const certificates = () =>
      keysetPages<CertificateRecord>((after, limit) =>
        this.dataSource.query(
          `SELECT c.id, c.course_code AS "courseCode", c.serial, c.verification_code AS "verificationCode",
                  c.status, c.holder_name AS "holderName", c.issued_at AS "issuedAt", c.rendered_at AS "renderedAt",
                  c.sha256, c.revoked_at AS "revokedAt", c.revocation_reason AS "revocationReason",
                  c.supersedes_id AS "supersedesId"
             FROM certificates c JOIN enrolments e ON e.id = c.enrolment_id
            WHERE e.trainee_id = $1 AND ($2::uuid IS NULL OR c.id > $2) ORDER BY c.id LIMIT $3`,
          [subject.id, after?.id ?? null, limit],
        ),
      );
    yield* asRecords('certificates', certificates());
    for await (const certificate of certificates()) {
      if (!certificate.sha256) continue;
      const path = this.files.pathOf(certificate.serial);
      // A PDF not (yet) on this disk is left out rather than breaking the archive; its record says it exists.
      if (
        !(await access(path).then(
          () => true,
          () => false,
        ))
      )
        continue;
      yield {
        recordType: 'certificate-pdfs',
        file: { name: `${certificate.serial}.pdf`, open: () => createReadStream(path) },
      };
    }
  }
}
