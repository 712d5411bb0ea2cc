import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { DataSource, EntityManager } from 'typeorm';
import { CertificateFiles } from 'src/certificates/certificate-files';
import { APP_CONFIG, AppConfig } from 'src/config/app-config';
import {
  asRecords,
  changedRows,
  DataSubject,
  ErasedRows,
  erasedRows,
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

  /**
   * Certificates stay, verifiable by their code with course and date: employers and commissioners rely on them,
   * and coverage counts them. The holder's name stays only where the issuing organisation (the cohort's host)
   * keeps names after erasure; elsewhere it is removed here, and the stored PDF that prints it is deleted once the
   * erasure has committed (CertificatesService, on `user.erased`). Its SHA-256 stays: a copy the holder kept still
   * proves itself on the verification page.
   */
  async erase(subject: DataSubject, manager: EntityManager): Promise<ErasedRows> {
    return erasedRows({
      certificates: {
        anonymised: await changedRows(
          manager,
          `UPDATE certificates c SET holder_name = NULL
             FROM enrolments e JOIN cohorts co ON co.id = e.cohort_id
             JOIN organisations o ON o.id = co.organisation_id
            WHERE e.id = c.enrolment_id AND e.trainee_id = $1 AND c.holder_name IS NOT NULL
              AND o.certificate_names_after_erasure = 'remove'`,
          [subject.id],
        ),
      },
    });
  }
}
