import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import archiver from 'archiver';
import { DateTime } from 'luxon';
import type { Readable } from 'node:stream';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, IsNull, LessThan, Not } from 'typeorm';
import { AuditService } from 'src/audit/audit.service';
import { forbidden, notFound, refuse } from 'src/common/refusal';
import { QUEUE_DISPATCH_TIMEOUT_MS, withTimeout } from 'src/common/with-timeout';
import type { AuthUser } from 'src/common/request-context';
import type { Cohort } from 'src/cohorts/cohort.entity';
import { CohortsService } from 'src/cohorts/cohorts.service';
import { EnrolmentsService } from 'src/cohorts/enrolments.service';
import { ProgressService } from 'src/cohorts/progress.service';
import { JOBS, JobQueue, QUEUES } from 'src/common/queues';
import { APP_CONFIG, AppConfig } from 'src/config/app-config';
import { COURSE_NAMES } from 'src/courses/course-code';
import { londonToday } from 'src/common/london-date';
import { QualificationsService } from 'src/courses/qualifications.service';
import { EventsService } from 'src/events/events.service';
import type { CertificateDocument } from 'src/certificates/certificate-document';
import { CertificateFiles } from 'src/certificates/certificate-files';
import { sha256 } from 'src/common/sha256';
import {
  buildOpenBadgeCredential,
  buildRevocationList,
  loadSigningKey,
  OpenBadgeCredential,
  publicJwks,
  signCredential,
  SigningKey,
} from 'src/certificates/open-badge';
import type { RenderPool } from 'src/certificates/render-pool';
import { Certificate } from 'src/certificates/certificate.entity';
import { CERTIFICATE_EVENTS } from 'src/certificates/certificate.events';
import { formatSerial, newVerificationCode } from 'src/certificates/serial';
import { isErasedAddress } from 'src/users/erased-account';
import { UsersService } from 'src/users/users.service';

export interface CohortIssue {
  queued: Array<{ enrolmentId: string; certificateId: string; serial: string }>;
  skipped: Array<{ enrolmentId: string; reason: 'already_issued' | 'not_eligible'; unmet?: string[] }>;
}

export type VerificationStatus = 'valid' | 'expired' | 'revoked' | 'superseded';

/** The cohort a certificate is issued from: its course version. */
type CourseOf = Pick<Cohort, 'courseVersionId' | 'courseVersion'>;

/** The render job's id: the certificate's own (BullMQ refuses `:` in custom job ids). */
export const renderJobId = (certificateId: string) => `certificate-${certificateId}`;

/** Tries to make a PDF before the certificate shows as failed, with a retry button. */
export const RENDER_ATTEMPTS = 5;

const unmetOf = (report: { requirements: Array<{ met: boolean; detail: string }> }) =>
  report.requirements.filter((row) => !row.met).map((row) => row.detail);

/**
 * Certificates are issued only by a lead's explicit act, for enrolments whose progress report says eligible.
 * The rows and their `certificate.issued` events commit together; the PDF is made after, in the worker.
 */
@Injectable()
export class CertificatesService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cohorts: CohortsService,
    private readonly enrolments: EnrolmentsService,
    private readonly progress: ProgressService,
    private readonly users: UsersService,
    private readonly qualifications: QualificationsService,
    private readonly events: EventsService,
    private readonly audit: AuditService,
    @InjectQueue(QUEUES.certificates) private readonly queue: JobQueue<'certificates'>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.files = new CertificateFiles(config.STORAGE_DIR);
    this.signingKey = loadSigningKey(config.CERTIFICATE_SIGNING_KEY || undefined, config.APP_URL);
  }

  private readonly logger = new Logger(CertificatesService.name);
  private readonly files: CertificateFiles;
  private readonly signingKey: Promise<SigningKey>;

  async onModuleInit(): Promise<void> {
    // A signing key that cannot be read stops the application at start, not at the first credential.
    await this.signingKey;
    this.events.declare('certificates', CERTIFICATE_EVENTS);
    // The request that issues enqueues the render jobs itself once it has committed; this handler is the
    // guarantee behind it, for when Redis did not answer then.
    this.events.on('certificate.issued', 'certificates.render-job', ({ certificateId }) =>
      this.enqueueRenders([certificateId]),
    );
    this.events.on('user.erased', 'certificates.delete-named-pdfs', ({ userId }, { manager }) =>
      this.deleteNamelessPdfs(userId, manager),
    );
  }

  /**
   * After an erasure has committed: the stored PDFs of the person's certificates whose name it removed are deleted,
   * as they print the name. Run again (the event is delivered at least once), it finds nothing left to delete.
   */
  private async deleteNamelessPdfs(holderId: string, manager: EntityManager): Promise<void> {
    const nameless: Array<{ serial: string }> = await manager.query(
      `SELECT c.serial FROM certificates c JOIN enrolments e ON e.id = c.enrolment_id
        WHERE e.trainee_id = $1 AND c.holder_name IS NULL`,
      [holderId],
    );
    for (const { serial } of nameless) await this.files.remove(serial);
  }

  /** One job per certificate, its id the certificate's: a second enqueue of the same certificate is a no-op. */
  private async enqueueRenders(certificateIds: string[]): Promise<void> {
    await this.queue.addBulk(
      certificateIds.map((certificateId) => ({
        name: JOBS.certificates.render,
        data: { certificateId },
        opts: {
          jobId: renderJobId(certificateId),
          attempts: RENDER_ATTEMPTS,
          backoff: { type: 'exponential', delay: this.config.MAIL_RETRY_DELAY_MS },
        },
      })),
    );
  }

  /**
   * Right after the issuing transaction commits, so that the PDFs are made at once, not after the events ahead
   * of these. If Redis does not answer soon, the request goes on: `certificate.issued` enqueues them when it is back.
   */
  private async enqueueAfterCommit(certificateIds: string[]): Promise<void> {
    if (certificateIds.length === 0) return;
    try {
      await withTimeout(this.enqueueRenders(certificateIds), QUEUE_DISPATCH_TIMEOUT_MS);
    } catch (error) {
      this.logger.warn(
        `${certificateIds.length} render job(s) left to their events: ${(error as Error).message}`,
      );
    }
  }

  /**
   * A render job lost after its `certificate.issued` was delivered (with Redis's data, when Redis restarts without
   * it; or failed by BullMQ for stalling twice) would leave its certificate queued for ever, out of the events
   * sweeper's sight. A certificate queued longer than `olderThanMs` with no job is announced again, as a retry is.
   */
  async announceLostRenders(olderThanMs: number): Promise<number> {
    const queued = await this.dataSource.getRepository(Certificate).find({
      where: { status: 'queued', issuedAt: LessThan(new Date(Date.now() - olderThanMs)) },
      select: { id: true },
      order: { issuedAt: 'ASC' },
      take: 500,
    });
    const lost: string[] = [];
    for (const { id } of queued) if (!(await this.queue.getJob(renderJobId(id)))) lost.push(id);
    if (lost.length === 0) return 0;
    await this.dataSource.transaction(async (manager) => {
      for (const certificateId of lost)
        await this.events.publish(manager, 'certificate.issued', { certificateId });
    });
    return lost.length;
  }

  /**
   * Makes the certificate's PDF, stores it with its SHA-256 and marks it issued. Safe to run twice: a
   * certificate already made, failed for good (until a lead retries it) or revoked since is left as it is.
   */
  async render(certificateId: string, pool: RenderPool, finalAttempt: boolean): Promise<void> {
    const certificate = await this.find(certificateId);
    if (certificate.status !== 'queued') return;
    try {
      const pdf = await pool.render(await this.documentOf(certificate));
      const sha256 = await this.files.store(certificate.serial, pdf);
      // Marked made and announced together, so the holder's e-mail goes once, whoever renders it; only if the name
      // printed is still the holder's name, as an erasure may have removed it while this PDF was being made.
      const nameRemoved = await this.dataSource.transaction(async (manager) => {
        const made = await manager.update(
          Certificate,
          { id: certificateId, status: 'queued', holderName: certificate.holderName ?? IsNull() },
          {
            status: 'issued',
            sha256,
            renderedAt: new Date(),
            lastError: null,
            renderAttempts: certificate.renderAttempts + 1,
          },
        );
        if (made.affected) {
          await this.events.publish(manager, 'certificate.made', { certificateId });
          return false;
        }
        const now = await manager.findOneBy(Certificate, { id: certificateId });
        return now?.status === 'queued' && now.holderName !== certificate.holderName;
      });
      if (nameRemoved) {
        await this.files.remove(certificate.serial);
        throw new Error(
          'The holder’s name was removed while the certificate was made; it is made again without it',
        );
      }
    } catch (error) {
      await this.dataSource.getRepository(Certificate).update(
        { id: certificateId },
        {
          renderAttempts: certificate.renderAttempts + 1,
          lastError: (error as Error).message.slice(0, 2000),
          ...(finalAttempt ? { status: 'failed' as const } : {}),
        },
      );
      throw error;
    }
  }

  /** The certificate as an Open Badges 3.0 credential, signed as a VC-JWT, for its holder and the cohort's leads. */
  async credential(
    actor: AuthUser,
    certificateId: string,
  ): Promise<{ credential: OpenBadgeCredential; jwt: string }> {
    const { certificate, enrolment } = await this.visible(actor, certificateId);
    const cohort = await this.cohorts.findCohort(enrolment.cohortId);
    const credential = buildOpenBadgeCredential({
      certificateId: certificate.id,
      serial: certificate.serial,
      holderName: certificate.holderName,
      holderId: `urn:uuid:${enrolment.traineeId}`,
      courseCode: certificate.courseCode,
      courseName: COURSE_NAMES[certificate.courseCode],
      courseDescription: cohort.courseVersion!.title,
      issuerName: cohort.organisation?.name ?? '',
      issuerUrl: this.config.APP_URL,
      appUrl: this.config.APP_URL,
      issuedAt: certificate.issuedAt,
      expiresAt: await this.expiryOf(certificate).then((on) =>
        on ? DateTime.fromISO(on, { zone: 'Europe/London' }).endOf('day').toJSDate() : null,
      ),
    });
    return { credential, jwt: await signCredential(credential, await this.signingKey) };
  }

  /** The public keys that verify credentials, as the JWKS the credentials' `kid` names. */
  async jwks() {
    return publicJwks([await this.signingKey]);
  }

  /** The 1EdTech revocation list every credential's `credentialStatus` points at. */
  async revocationList() {
    const revoked = await this.dataSource
      .getRepository(Certificate)
      .find({ where: { status: 'revoked' }, select: { id: true, revocationReason: true } });
    return buildRevocationList(
      this.config.APP_URL,
      revoked.map((certificate) => ({ certificateId: certificate.id, reason: certificate.revocationReason })),
    );
  }

  /**
   * A new certificate in place of this one, with the holder's name as it is now (after a change of name): the old
   * one then verifies as superseded and points to the new.
   */
  async reissue(actor: AuthUser, certificateId: string): Promise<Certificate> {
    const old = await this.find(certificateId);
    const enrolment = await this.enrolments.find(old.enrolmentId);
    const cohort = await this.assertMayIssue(actor, enrolment.cohortId);
    const holder = (await this.users.contacts([enrolment.traineeId])).get(enrolment.traineeId);
    // A new certificate would be made out to the erased account's name: the one there is stands as it is.
    if (holder && isErasedAddress(holder.email))
      throw refuse('ACCOUNT_ERASED', 'The holder’s data has been erased: their certificate is not re-issued');
    const id = await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`certificate:${old.enrolmentId}`]);
      const current = await manager.findOneOrFail(Certificate, { where: { id: certificateId } });
      if (current.status !== 'issued' && current.status !== 'queued')
        throw refuse('CERTIFICATE_NOT_REVOCABLE', `A ${current.status} certificate cannot be re-issued`);
      await manager.update(Certificate, { id: certificateId }, { status: 'superseded' });
      const replacement = await this.create(manager, actor, cohort, old.enrolmentId, enrolment.traineeId, {
        supersedesId: certificateId,
      });
      return replacement.id;
    });
    await this.enqueueAfterCommit([id]);
    return this.find(id);
  }

  /** Another round of tries for a certificate whose PDF could not be made. */
  async retry(actor: AuthUser, certificateId: string): Promise<Certificate> {
    const certificate = await this.find(certificateId);
    await this.assertMayIssue(actor, (await this.enrolments.find(certificate.enrolmentId)).cohortId);
    if (certificate.status !== 'failed')
      throw refuse(
        'CERTIFICATE_NOT_FAILED',
        `This certificate is ${certificate.status}; only a failed one is retried`,
      );
    await this.dataSource.transaction(async (manager) => {
      await manager.update(Certificate, { id: certificateId }, { status: 'queued', lastError: null });
      await this.audit.record(
        {
          actorId: actor.id,
          action: 'certificate.retried',
          subjectType: 'certificate',
          subjectId: certificateId,
        },
        manager,
      );
      await this.events.publish(manager, 'certificate.issued', { certificateId });
    });
    await this.enqueueAfterCommit([certificateId]);
    return this.find(certificateId);
  }

  /** Whether a file is the PDF issued under this code: the same SHA-256 as the one stored. */
  async matchesIssuedPdf(code: string, file: Buffer): Promise<boolean> {
    const certificate = await this.dataSource
      .getRepository(Certificate)
      .findOneBy({ verificationCode: code });
    if (!certificate) throw notFound('The certificate');
    return certificate.sha256 !== null && certificate.sha256 === sha256(file);
  }

  /** A lead or admin withdraws a certificate, with a reason; it then verifies as revoked. */
  async revoke(actor: AuthUser, certificateId: string, reason: string): Promise<Certificate> {
    const certificate = await this.find(certificateId);
    const enrolment = await this.enrolments.find(certificate.enrolmentId);
    await this.assertMayIssue(actor, enrolment.cohortId);
    await this.dataSource.transaction(async (manager) => {
      const current = await manager.findOneOrFail(Certificate, {
        where: { id: certificateId },
        lock: { mode: 'pessimistic_write' },
      });
      if (current.status === 'revoked' || current.status === 'superseded')
        throw refuse('CERTIFICATE_NOT_REVOCABLE', `This certificate is already ${current.status}`);
      await manager.update(
        Certificate,
        { id: certificateId },
        { status: 'revoked', revokedAt: new Date(), revocationReason: reason },
      );
      await this.audit.record(
        {
          actorId: actor.id,
          action: 'certificate.revoked',
          subjectType: 'certificate',
          subjectId: certificateId,
          details: { serial: current.serial, reason },
        },
        manager,
      );
      await this.events.publish(manager, 'certificate.revoked', {
        certificateId,
        holderId: enrolment.traineeId,
        enrolmentId: enrolment.id,
        courseCode: current.courseCode,
        revokedOn: londonToday(),
      });
    });
    return this.find(certificateId);
  }

  /** The holder's address and the stored PDF, for the e-mail that sends it. */
  async delivery(certificateId: string) {
    const certificate = await this.find(certificateId);
    const enrolment = await this.enrolments.find(certificate.enrolmentId);
    const cohort = await this.cohorts.findCohort(enrolment.cohortId);
    return {
      certificate,
      traineeId: enrolment.traineeId,
      courseName: COURSE_NAMES[certificate.courseCode],
      cohortTitle: cohort.title,
      verificationUrl: `${this.config.APP_URL}/verify/${certificate.verificationCode}`,
      attachment: {
        filename: `${certificate.serial}.pdf`,
        path: this.files.relativePathOf(certificate.serial),
        contentType: 'application/pdf',
      },
    };
  }

  /** The PDF as stored, for the trainee it names and the leads of its cohort. */
  async pdf(actor: AuthUser, certificateId: string): Promise<{ certificate: Certificate; content: Buffer }> {
    const { certificate } = await this.visible(actor, certificateId);
    if (certificate.holderName === null && certificate.sha256)
      throw refuse(
        'CERTIFICATE_PDF_ERASED',
        'This certificate’s PDF was deleted when its holder’s data was erased; it still verifies by its code',
      );
    if (!certificate.sha256)
      throw refuse(
        'CERTIFICATE_NOT_READY',
        'The certificate’s PDF has not been made yet; try again in a minute',
      );
    return { certificate, content: await this.files.read(certificate.serial) };
  }

  /** What the certificate says, from the cohort, its sessions and facilitators, and the issuing organisation. */
  private async documentOf(certificate: Certificate): Promise<CertificateDocument> {
    const enrolment = await this.enrolments.find(certificate.enrolmentId);
    const cohort = await this.cohorts.findCohort(enrolment.cohortId);
    const sessions = (await this.cohorts.sessionsOf(cohort.id)).filter(
      (session) => session.status === 'scheduled',
    );
    const facilitatorIds = await this.cohorts.facilitatorIdsOf(cohort.id);
    const names = await this.users.contacts(facilitatorIds);
    const day = (at: Date) => DateTime.fromJSDate(at).setZone('Europe/London').toFormat('d LLLL yyyy');
    return {
      serial: certificate.serial,
      verificationUrl: `${this.config.APP_URL}/verify/${certificate.verificationCode}`,
      // Made after its holder's erasure removed the name: the certificate names nobody.
      holderName: certificate.holderName ?? 'Name removed at the holder’s request',
      courseName: `${COURSE_NAMES[certificate.courseCode]} course`,
      courseTitle: cohort.courseVersion!.title,
      cohortTitle: cohort.title,
      startedOn: sessions.length ? day(sessions[0].startsAt) : '',
      completedOn: sessions.length ? day(sessions[sessions.length - 1].endsAt) : '',
      // An erased facilitator is not named, rather than printed as "Erased person" on someone else's certificate.
      facilitators: facilitatorIds.flatMap((id) => {
        const facilitator = names.get(id);
        return facilitator && !isErasedAddress(facilitator.email) ? [facilitator.name] : [];
      }),
      issuedOn: day(certificate.issuedAt),
      issuerName: cohort.organisation?.name ?? '',
    };
  }

  /** Issues one enrolment's certificate; refused with the unmet rows unless it is eligible, and never twice. */
  async issue(actor: AuthUser, enrolmentId: string): Promise<Certificate> {
    const enrolment = await this.enrolments.find(enrolmentId);
    const cohort = await this.assertMayIssue(actor, enrolment.cohortId);
    const report = await this.progress.forEnrolment(actor, enrolmentId);
    if (!report.eligible)
      throw refuse('NOT_ELIGIBLE', `Not eligible yet: ${unmetOf(report).join('; ')}`, {
        details: { unmet: unmetOf(report) },
      });
    const id = await this.dataSource.transaction(
      async (manager) => (await this.create(manager, actor, cohort, enrolmentId, enrolment.traineeId)).id,
    );
    await this.enqueueAfterCommit([id]);
    return this.find(id);
  }

  /** Every eligible trainee of the cohort without a certificate, in one transaction; the rest say why not. */
  async issueForCohort(actor: AuthUser, cohortId: string): Promise<CohortIssue> {
    const cohort = await this.assertMayIssue(actor, cohortId);
    const reports = await this.progress.forCohort(actor, cohortId);
    const result = await this.dataSource.transaction(async (manager) => {
      const issued = new Set(
        (
          await manager.find(Certificate, {
            where: { enrolmentId: In(reports.map((r) => r.enrolmentId)), status: Not('superseded') },
            select: { enrolmentId: true },
            lock: { mode: 'pessimistic_write' },
          })
        ).map((certificate) => certificate.enrolmentId),
      );
      const result: CohortIssue = { queued: [], skipped: [] };
      for (const report of reports) {
        if (issued.has(report.enrolmentId)) {
          result.skipped.push({ enrolmentId: report.enrolmentId, reason: 'already_issued' });
        } else if (!report.eligible) {
          result.skipped.push({
            enrolmentId: report.enrolmentId,
            reason: 'not_eligible',
            unmet: unmetOf(report),
          });
        } else {
          const certificate = await this.create(manager, actor, cohort, report.enrolmentId, report.traineeId);
          result.queued.push({
            enrolmentId: report.enrolmentId,
            certificateId: certificate.id,
            serial: certificate.serial,
          });
        }
      }
      return result;
    });
    await this.enqueueAfterCommit(result.queued.map((issued) => issued.certificateId));
    return result;
  }

  /** The cohort's trainees with their eligibility and certificate, for the lead's certificates page. */
  async forCohort(actor: AuthUser, cohortId: string) {
    await this.assertMayIssue(actor, cohortId);
    const reports = await this.progress.forCohort(actor, cohortId);
    const certificates = await this.dataSource.getRepository(Certificate).find({
      where: { enrolmentId: In(reports.map((report) => report.enrolmentId)), status: Not('superseded') },
    });
    const byEnrolment = new Map(certificates.map((certificate) => [certificate.enrolmentId, certificate]));
    return reports.map((report) => ({
      enrolmentId: report.enrolmentId,
      traineeName: report.traineeName,
      eligible: report.eligible,
      unmet: unmetOf(report),
      certificate: byEnrolment.get(report.enrolmentId) ?? null,
    }));
  }

  /** Every made, unrevoked certificate of the cohort in one ZIP, for its lead: one PDF per trainee, by serial. */
  async cohortZip(actor: AuthUser, cohortId: string): Promise<Readable> {
    const rows = await this.forCohort(actor, cohortId);
    const made = rows
      .map((row) => row.certificate)
      .filter(
        (certificate): certificate is Certificate & { holderName: string } =>
          certificate?.status === 'issued' && certificate.holderName !== null,
      );
    if (made.length === 0)
      throw refuse('CERTIFICATE_NOT_READY', 'No certificate of this cohort has been made yet');
    const zip = archiver('zip', { zlib: { level: 6 } });
    for (const certificate of made)
      zip.file(this.files.pathOf(certificate.serial), {
        name: `${certificate.serial} ${certificate.holderName}.pdf`,
      });
    void zip.finalize();
    return zip;
  }

  /** The trainee's own certificates, newest first. */
  async mine(actor: AuthUser): Promise<Certificate[]> {
    return this.dataSource
      .getRepository(Certificate)
      .createQueryBuilder('certificate')
      .innerJoin('certificate.enrolment', 'enrolment')
      .where('enrolment.traineeId = :me', { me: actor.id })
      .andWhere(`certificate.status <> 'superseded'`)
      .orderBy('certificate.issuedAt', 'DESC')
      .getMany();
  }

  /** The certificate, for the trainee it names and the leads of its cohort; anyone else is refused. */
  async get(actor: AuthUser, certificateId: string): Promise<Certificate> {
    return (await this.visible(actor, certificateId)).certificate;
  }

  private async visible(actor: AuthUser, certificateId: string) {
    const certificate = await this.find(certificateId);
    const enrolment = await this.enrolments.find(certificate.enrolmentId);
    if (enrolment.traineeId !== actor.id) await this.assertMayIssue(actor, enrolment.cohortId);
    return { certificate, enrolment };
  }

  async find(id: string): Promise<Certificate> {
    const certificate = await this.dataSource.getRepository(Certificate).findOneBy({ id });
    if (!certificate) throw notFound('The certificate');
    return certificate;
  }

  /** What anyone may learn from a verification code: no more than the certificate says on its face. */
  async verify(code: string) {
    const certificate = await this.dataSource
      .getRepository(Certificate)
      .findOneBy({ verificationCode: code });
    if (!certificate) throw notFound('The certificate');
    const cohort = await this.cohorts.findCohort(
      (await this.enrolments.find(certificate.enrolmentId)).cohortId,
    );
    const replacement =
      certificate.status === 'superseded'
        ? await this.dataSource.getRepository(Certificate).findOneBy({ supersedesId: certificate.id })
        : null;
    const expiresOn = await this.expiryOf(certificate);
    // Issued is issued, whether or not its PDF has been made yet.
    const status: VerificationStatus =
      certificate.status === 'revoked' || certificate.status === 'superseded'
        ? certificate.status
        : expiresOn && expiresOn < londonToday()
          ? 'expired'
          : 'valid';
    return {
      status,
      expiresOn,
      serial: certificate.serial,
      holderName: certificate.holderName,
      course: cohort.courseVersion!.title,
      courseCode: certificate.courseCode,
      issuedOn: certificate.issuedAt.toISOString().slice(0, 10),
      issuer: cohort.organisation?.name ?? '',
      revokedOn: certificate.revokedAt?.toISOString().slice(0, 10) ?? null,
      replacedBy: replacement ? replacement.verificationCode : null,
    };
  }

  /**
   * A certificate that granted an accreditation stands for it, so it expires when the accreditation does (renewals
   * included); other certificates do not expire. A re-issue carries the accreditation over.
   */
  private async expiryOf(certificate: Certificate): Promise<string | null> {
    return (await this.qualifications.grantedBy(certificate.id))?.expiresOn ?? null;
  }

  /** The cohort, for a lead of its host organisation or an admin; anyone else is refused. */
  /** Refuses anyone but the admins and the training leads of the cohort's organisation. */
  async assertMayIssue(actor: AuthUser, cohortId: string): Promise<Cohort> {
    const { cohort, access } = await this.cohorts.access(actor, cohortId);
    if (!access.manage)
      throw forbidden('Only a training lead of the host organisation or an admin issues certificates');
    return cohort;
  }

  private current(manager: EntityManager, enrolmentId: string): Promise<Certificate | null> {
    return manager.findOne(Certificate, { where: { enrolmentId, status: Not('superseded') } });
  }

  /** The row, its serial and its event, in the caller's transaction; one enrolment's issues queue behind a lock. */
  private async create(
    manager: EntityManager,
    actor: AuthUser,
    course: CourseOf,
    enrolmentId: string,
    traineeId: string,
    { supersedesId = null }: { supersedesId?: string | null } = {},
  ): Promise<Certificate> {
    const courseCode = course.courseVersion!.courseCode;
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`certificate:${enrolmentId}`]);
    const existing = await this.current(manager, enrolmentId);
    if (existing)
      throw refuse('CERTIFICATE_EXISTS', `A certificate (${existing.serial}) has already been issued`, {
        details: { certificateId: existing.id },
      });
    const year = new Date().getUTCFullYear();
    const [{ last }]: Array<{ last: number }> = await manager.query(
      `INSERT INTO certificate_serials (course_code, year, last) VALUES ($1, $2, 1)
       ON CONFLICT (course_code, year) DO UPDATE SET last = certificate_serials.last + 1 RETURNING last`,
      [courseCode, year],
    );
    const holder = (await this.users.contacts([traineeId], manager)).get(traineeId);
    const certificate = await manager.save(
      manager.create(Certificate, {
        enrolmentId,
        courseCode,
        serial: formatSerial(courseCode, year, last),
        verificationCode: newVerificationCode(),
        holderName: holder?.name ?? '',
        issuedById: actor.id,
        supersedesId,
      }),
    );
    await this.audit.record(
      {
        actorId: actor.id,
        action: 'certificate.issued',
        subjectType: 'certificate',
        subjectId: certificate.id,
        details: {
          enrolmentId,
          serial: certificate.serial,
          ...(supersedesId ? { supersedes: supersedesId } : {}),
        },
      },
      manager,
    );
    await this.events.publish(manager, 'certificate.issued', { certificateId: certificate.id });
    await this.events.publish(manager, 'certificate.awarded', {
      certificateId: certificate.id,
      holderId: traineeId,
      enrolmentId,
      courseCode,
      courseVersionId: course.courseVersionId,
      awardedOn: londonToday(certificate.issuedAt),
      supersedesId,
    });
    return certificate;
  }
}
