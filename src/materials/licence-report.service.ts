import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { readableOrganisation } from 'src/materials/organisation-scope';
import { AuditService } from 'src/audit/audit.service';
import { excelCsv } from 'src/common/excel-csv';
import { londonToday } from 'src/common/london-date';

import { AuthUser } from 'src/common/request-context';
import { ValidationFailedException } from 'src/common/validation';
import type { LicenceReportQuery } from 'src/materials/dto/licence-report.dto';
import { OrganisationsService } from 'src/organisations/organisations.service';

/** Copies of one edition issued to one organisation's people in the period. */
export interface LicenceReportRow {
  material: { id: string; code: string; title: string };
  edition: { id: string; label: string };
  organisation: { id: string; name: string };
  /** Personalised copies downloaded whole. */
  digitalCopies: number;
  /** People who downloaded at least one of those copies. */
  holders: number;
  /** Printed copies dispatched. */
  printedCopies: number;
  totalCopies: number;
}

export interface LicenceReport {
  from: string;
  to: string;
  rows: LicenceReportRow[];
  totals: { digitalCopies: number; printedCopies: number; totalCopies: number };
}

/**
 * The licence report: copies issued per material, edition and organisation over a period, downloaded and
 * printed, for what a provider owes the licensor. Administrators see every organisation; a training lead their own.
 */
@Injectable()
export class LicenceReportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly organisations: OrganisationsService,
    private readonly audit: AuditService,
  ) {}

  async report(actor: AuthUser, query: LicenceReportQuery): Promise<LicenceReport> {
    const organisationId = readableOrganisation(actor, 'The licence report');
    const { from, to } = period(query);
    // A copy counts on the day it was downloaded, or the day its parcel was dispatched, in the UK.
    const rows: Array<{
      material_id: string;
      code: string;
      title: string;
      edition_id: string;
      label: string;
      organisation_id: string;
      digital: number;
      holders: number;
      printed: number;
    }> = await this.dataSource.query(
      `WITH digital AS (
         SELECT c.edition_id, i.organisation_id, count(*)::int AS digital, count(DISTINCT i.holder_id)::int AS holders
           FROM material_copies c JOIN material_issues i ON i.id = c.issue_id
          WHERE c.completed_at IS NOT NULL
            AND (c.completed_at AT TIME ZONE 'Europe/London')::date BETWEEN $1::date AND $2::date
            AND ($3::uuid IS NULL OR i.organisation_id = $3)
          GROUP BY 1, 2
       ), printed AS (
         SELECT edition_id, organisation_id, sum(copies)::int AS printed
           FROM print_orders
          WHERE dispatched_at IS NOT NULL
            AND (dispatched_at AT TIME ZONE 'Europe/London')::date BETWEEN $1::date AND $2::date
            AND ($3::uuid IS NULL OR organisation_id = $3)
          GROUP BY 1, 2
       )
       SELECT m.id AS material_id, m.code, m.title, e.id AS edition_id, e.label, organisation_id,
              coalesce(d.digital, 0) AS digital, coalesce(d.holders, 0) AS holders, coalesce(p.printed, 0) AS printed
         FROM digital d FULL JOIN printed p USING (edition_id, organisation_id)
         JOIN material_editions e ON e.id = edition_id
         JOIN materials m ON m.id = e.material_id
        ORDER BY m.code, e.uploaded_at, organisation_id`,
      [from, to, organisationId],
    );
    const names = new Map(
      (await this.organisations.listOrganisations()).map((organisation) => [
        organisation.id,
        organisation.name,
      ]),
    );
    // Within an edition (the query's order: material, then edition by date), organisations by name.
    const editionOrder = new Map(rows.map((row, index) => [row.edition_id, index]));
    const reportRows = rows
      .map((row): LicenceReportRow => ({
        material: { id: row.material_id, code: row.code, title: row.title },
        edition: { id: row.edition_id, label: row.label },
        organisation: { id: row.organisation_id, name: names.get(row.organisation_id) ?? '' },
        digitalCopies: row.digital,
        holders: row.holders,
        printedCopies: row.printed,
        totalCopies: row.digital + row.printed,
      }))
      .sort(
        (a, b) =>
          editionOrder.get(a.edition.id)! - editionOrder.get(b.edition.id)! ||
          a.organisation.name.localeCompare(b.organisation.name),
      );
    const sum = (pick: (row: LicenceReportRow) => number) =>
      reportRows.reduce((total, row) => total + pick(row), 0);
    return {
      from,
      to,
      rows: reportRows,
      totals: {
        digitalCopies: sum((row) => row.digitalCopies),
        printedCopies: sum((row) => row.printedCopies),
        totalCopies: sum((row) => row.totalCopies),
      },
    };
  }

  /** The report as a CSV that opens in Excel (UTF-8 with a byte order mark, ISO dates); the export is audited. */
  async csv(actor: AuthUser, query: LicenceReportQuery): Promise<{ fileName: string; content: string }> {
    const report = await this.report(actor, query);
    await this.audit.record({
      actorId: actor.id,
      action: 'report.exported',
      subjectType: 'report',
      details: {
        report: 'licences',
        from: report.from,
        to: report.to,
        format: 'csv',
        rows: report.rows.length,
      },
    });
    const content = excelCsv([
      [
        'Material code',
        'Material',
        'Edition',
        'Organisation',
        'Period from',
        'Period to',
        'Digital copies',
        'People who downloaded',
        'Printed copies',
        'Total copies',
      ],
      ...report.rows.map((row) => [
        row.material.code,
        row.material.title,
        row.edition.label,
        row.organisation.name,
        report.from,
        report.to,
        row.digitalCopies,
        row.holders,
        row.printedCopies,
        row.totalCopies,
      ]),
    ]);
    return { fileName: `licences-${report.from}-to-${report.to}.csv`, content };
  }
}

function period(query: LicenceReportQuery): { from: string; to: string } {
  const to = query.to ?? londonToday();
  const from = query.from ?? DateTime.fromISO(to).minus({ years: 1 }).plus({ days: 1 }).toISODate()!;
  if (from > to)
    throw new ValidationFailedException({ to: ['The end of the period must not be before its start'] });
  return { from, to };
}
