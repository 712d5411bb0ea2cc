import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { AuditService } from 'src/audit/audit.service';
import { londonDay, londonToday } from 'src/common/london-date';
import { forbidden, notFound } from 'src/common/refusal';
import { AuthUser, hasRole } from 'src/common/request-context';
import { APP_CONFIG, AppConfig } from 'src/config/app-config';
import { CohortsService } from 'src/cohorts/cohorts.service';
import { EditionFiles } from 'src/materials/edition-files';
import { MaterialCopy } from 'src/materials/material-copy.entity';
import { CopyStamp, personalisedCopy, stampLine } from 'src/materials/personalised-copy';
import { UsersService } from 'src/users/users.service';

/** A copy numbered in the ledger and about to be written: what to stamp, and from which file. */
export interface PreparedCopy {
  copyId: string;
  holderId: string;
  materialId: string;
  editionId: string;
  stamp: CopyStamp;
  fileName: string;
}

/** Where a copy found somewhere leads: its holder, their cohort, and the download it came from. */
export interface TracedCopy {
  copyNumber: number;
  stamp: string;
  sha256: string;
  sizeBytes: number;
  downloadedAt: Date;
  holder: { id: string; name: string; email: string };
  cohort: { id: string; title: string };
  material: { id: string; code: string; title: string };
  edition: { id: string; label: string };
}

/**
 * Personalised downloads: each copy is numbered in the ledger, stamped on every page for its holder and written
 * out as it is made, and the SHA-256 of what was sent is recorded, so a leaked copy can be traced by either.
 */
@Injectable()
export class MaterialDownloadsService {
  private readonly logger = new Logger(MaterialDownloadsService.name);
  private readonly files: EditionFiles;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly cohorts: CohortsService,
    private readonly users: UsersService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.files = new EditionFiles(config.STORAGE_DIR);
  }

  /**
   * Numbers the next copy of the edition for the actor: by default the newest edition licensed to them for the
   * material, or an earlier one they hold. Refused when it was never theirs, or their place has been withdrawn.
   */
  async prepare(actor: AuthUser, materialId: string, editionId?: string): Promise<PreparedCopy> {
    const issues: Array<{
      id: string;
      edition_id: string;
      cohort_id: string;
      withdrawn_at: Date | null;
      code: string;
      title: string;
      label: string;
    }> = await this.dataSource.query(
      `SELECT i.id, i.edition_id, i.cohort_id, i.withdrawn_at, m.code, m.title, e.label
         FROM material_issues i
         JOIN materials m ON m.id = i.material_id
         JOIN material_editions e ON e.id = i.edition_id
        WHERE i.material_id = $1 AND i.holder_id = $2
        ORDER BY e.uploaded_at DESC, i.issued_at DESC`,
      [materialId, actor.id],
    );
    if (issues.length === 0) {
      const exists = await this.dataSource.query(`SELECT 1 FROM materials WHERE id = $1`, [materialId]);
      if (exists.length === 0) throw notFound('The material');
      throw forbidden(
        'This material is not licensed to you: it comes with a place on a cohort of its course, or facilitating one',
      );
    }
    const usable = issues.filter(
      (issue) => issue.withdrawn_at === null && (!editionId || issue.edition_id === editionId),
    );
    if (usable.length === 0) {
      const ended = issues.find((issue) => !editionId || issue.edition_id === editionId);
      if (!ended) throw forbidden('That edition is not licensed to you; download the edition you hold');
      throw forbidden(
        `Your licence for the ${ended.title} ended on ${londonDay(ended.withdrawn_at!)}, when your place on its cohort (or your part in it) ended. Copies you downloaded before then are still yours, but you cannot download it again.`,
      );
    }
    const issue = usable[0];
    const [holder, cohort] = await Promise.all([
      this.users.contacts([actor.id]).then((contacts) => contacts.get(actor.id)!),
      this.cohorts.findCohort(issue.cohort_id),
    ]);
    return this.dataSource.transaction(async (manager) => {
      // Copies are numbered within their edition; the edition's row decides one download at a time.
      await manager.query('SELECT id FROM material_editions WHERE id = $1 FOR UPDATE', [issue.edition_id]);
      const [{ next }]: Array<{ next: number }> = await manager.query(
        'SELECT coalesce(max(copy_number), 0) + 1 AS next FROM material_copies WHERE edition_id = $1',
        [issue.edition_id],
      );
      const stamp: CopyStamp = {
        holderName: holder.name,
        cohortName: cohort.title,
        issuedOn: londonToday(),
        copyNumber: next,
        materialTitle: issue.title,
        editionLabel: issue.label,
      };
      const copy = await manager.save(
        manager.create(MaterialCopy, {
          issueId: issue.id,
          editionId: issue.edition_id,
          copyNumber: next,
          stamp: stampLine(stamp),
        }),
      );
      return {
        copyId: copy.id,
        holderId: actor.id,
        materialId,
        editionId: issue.edition_id,
        stamp,
        fileName: `${issue.code}-${slug(issue.label)}-copy-${next}.pdf`,
      };
    });
  }

  /**
   * The stamped copy as a stream made as it is read (refused before anything is sent if the edition's file cannot
   * be read), and a promise that settles once it has been read to its end or cut off: a whole copy has its SHA-256
   * and size recorded and its download audited; one cut off (the reader went away) is audited as interrupted.
   */
  async open(copy: PreparedCopy): Promise<{ stream: Readable; recorded: Promise<void> }> {
    const details = { copyId: copy.copyId, editionId: copy.editionId, copyNumber: copy.stamp.copyNumber };
    const made = await personalisedCopy(await readFile(this.files.pathOf(copy.editionId)), copy.stamp);
    const recorded = made.written.then(
      (written) =>
        this.dataSource.transaction(async (manager) => {
          await manager.update(
            MaterialCopy,
            { id: copy.copyId },
            { completedAt: new Date(), sha256: written.sha256, sizeBytes: written.bytes },
          );
          await this.audit.record(
            {
              actorId: copy.holderId,
              action: 'material.downloaded',
              subjectType: 'material',
              subjectId: copy.materialId,
              details: { ...details, sha256: written.sha256 },
            },
            manager,
          );
        }),
      async (error: Error) => {
        this.logger.warn(`Copy ${copy.copyId} was not completed: ${error.message}`);
        await this.audit.record({
          actorId: copy.holderId,
          action: 'material.download_interrupted',
          subjectType: 'material',
          subjectId: copy.materialId,
          details: { ...details, reason: error.message.slice(0, 300) },
        });
      },
    );
    return { stream: made.stream, recorded };
  }

  /** The copy whose file has this SHA-256, and who it was licensed to: for administrators tracing a leak. */
  async trace(actor: AuthUser, hash: string): Promise<TracedCopy> {
    if (!hasRole(actor, 'admin')) throw forbidden('Only an administrator traces copies');
    const [row] = await this.dataSource.query(
      `SELECT c.copy_number, c.stamp, c.sha256, c.size_bytes, c.completed_at,
              i.holder_id, i.cohort_id, m.id AS material_id, m.code, m.title, e.id AS edition_id, e.label
         FROM material_copies c
         JOIN material_issues i ON i.id = c.issue_id
         JOIN materials m ON m.id = i.material_id
         JOIN material_editions e ON e.id = c.edition_id
        WHERE c.sha256 = $1`,
      [hash.toLowerCase()],
    );
    if (!row) throw notFound('A copy with that SHA-256');
    const [holder, cohort] = await Promise.all([
      this.users.contacts([row.holder_id]).then((contacts) => contacts.get(row.holder_id)),
      this.cohorts.findCohort(row.cohort_id),
    ]);
    return {
      copyNumber: row.copy_number,
      stamp: row.stamp,
      sha256: row.sha256,
      sizeBytes: row.size_bytes,
      downloadedAt: row.completed_at,
      holder: holder ?? { id: row.holder_id, name: '(account removed)', email: '' },
      cohort: { id: cohort.id, title: cohort.title },
      material: { id: row.material_id, code: row.code, title: row.title },
      edition: { id: row.edition_id, label: row.label },
    };
  }
}

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
