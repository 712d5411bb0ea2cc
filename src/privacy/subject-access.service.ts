import { Injectable, Logger } from '@nestjs/common';
import archiver from 'archiver';
import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { AuditService } from 'src/audit/audit.service';
import { londonMoment, londonToday } from 'src/common/london-date';
import { PROJECT_ROOT } from 'src/common/paths';
import { forbidden } from 'src/common/refusal';
import { AuthUser, hasRole } from 'src/common/request-context';
import type { DataSubject } from 'src/privacy/personal-data';
import { PersonalDataRegistry } from 'src/privacy/personal-data.registry';
import { isArchiveClosed, writePersonalData } from 'src/privacy/subject-access.archive';
import { UsersService } from 'src/users/users.service';

export interface PersonalDataExport {
  fileName: string;
  archive: Readable;
}

/** Subject access: everything held about a person, as one ZIP streamed while it is read. */
@Injectable()
export class SubjectAccessService {
  private readonly logger = new Logger(SubjectAccessService.name);
  private readonly summary = Handlebars.compile<object>(
    readFileSync(join(PROJECT_ROOT, 'templates', 'privacy', 'index.html.hbs'), 'utf8'),
  );

  constructor(
    private readonly registry: PersonalDataRegistry,
    private readonly users: UsersService,
    private readonly audit: AuditService,
  ) {}

  /** What the archive holds, by record type, for the page that offers it. */
  recordTypes() {
    return this.registry.all().flatMap((source) => source.recordTypes);
  }

  async exportOwn(actor: AuthUser): Promise<PersonalDataExport> {
    const subject = await this.users.profile(actor);
    await this.audit.record({
      actorId: actor.id,
      action: 'me.data_exported',
      subjectType: 'user',
      subjectId: actor.id,
    });
    return { fileName: `personal-data-${londonToday()}.zip`, archive: this.archive(subject) };
  }

  /** An admin's export for any person. */
  async exportFor(actor: AuthUser, userId: string): Promise<PersonalDataExport> {
    if (!hasRole(actor, 'admin')) throw forbidden('Only administrators may export another person’s data');
    const subject = await this.users.get(actor, userId);
    await this.audit.record({
      actorId: actor.id,
      action: 'user.data_exported',
      subjectType: 'user',
      subjectId: userId,
    });
    return { fileName: `personal-data-${userId}-${londonToday()}.zip`, archive: this.archive(subject) };
  }

  private archive(subject: DataSubject): Readable {
    const zip = archiver('zip', { zlib: { level: 6 } });
    const generatedAt = new Date();
    writePersonalData(zip, subject, this.registry.all())
      .then((contents) => {
        zip.append(this.summary({ subject, generatedAt: londonMoment(generatedAt), ...contents }), {
          name: 'index.html',
        });
        return zip.finalize();
      })
      .catch((error: unknown) => {
        if (isArchiveClosed(error)) return;
        // The headers have gone: all that is left to say is that the archive broke off.
        this.logger.error(error, `The personal data export of user ${subject.id} failed`);
        zip.destroy(error instanceof Error ? error : new Error(String(error)));
      });
    return zip;
  }
}
