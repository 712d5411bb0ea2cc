import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { IsCalendarDate, Omittable } from 'src/common/validators';

export const REPORT_FORMATS = ['json', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The period of a licence report, whole days in the UK, both included; by default the twelve months to today. */
export class LicenceReportQuery {
  @ApiPropertyOptional({ example: '2026-01-01' })
  @Omittable()
  @IsCalendarDate({ message: 'Enter the start of the period as a date, YYYY-MM-DD, like 2026-01-01' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-31' })
  @Omittable()
  @IsCalendarDate({ message: 'Enter the end of the period as a date, YYYY-MM-DD, like 2026-12-31' })
  to?: string;

  @ApiPropertyOptional({ enum: REPORT_FORMATS, default: 'json' })
  @Omittable()
  @IsIn(REPORT_FORMATS, { message: 'Choose the format: json or csv' })
  format?: ReportFormat;
}
