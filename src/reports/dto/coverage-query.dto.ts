import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsIn, Matches } from 'class-validator';
import { IsCalendarDate, Omittable } from 'src/common/validators';
import { COURSE_CODES, CourseCode } from 'src/courses/course-code';
import { PROFESSIONS, Profession } from 'src/users/profession';

export const COVERAGE_FORMATS = ['json', 'csv'] as const;
export type CoverageFormat = (typeof COVERAGE_FORMATS)[number];

/** The report's filters: areas by ONS code (repeated, or separated by commas), a course, a profession, a period. */
export class CoverageQuery {
  @ApiPropertyOptional({ example: 'E09000024', description: 'ONS codes; by default every area one may see' })
  @Transform(({ value }: { value: unknown }) => {
    const codes = typeof value === 'string' ? value.split(',') : value;
    return Array.isArray(codes)
      ? codes
          .map((code: unknown) => (typeof code === 'string' ? code.trim().toUpperCase() : code))
          .filter(Boolean)
      : codes;
  })
  @Omittable()
  @ArrayMaxSize(400, { message: 'Name at most 400 areas' })
  @Matches(/^[EWSN]\d{8}$/, { each: true, message: 'Give areas by their ONS code, like E09000024' })
  area?: string[];

  @ApiPropertyOptional({ enum: COURSE_CODES })
  @Omittable()
  @IsIn(COURSE_CODES, { message: `Choose a course: ${COURSE_CODES.join(', ')}` })
  course?: CourseCode;

  @ApiPropertyOptional({ enum: PROFESSIONS })
  @Omittable()
  @IsIn(PROFESSIONS, { message: 'Choose a profession from the list' })
  profession?: Profession;

  @ApiPropertyOptional({ example: '2025-01-01', description: 'The first quarter end of the trend to show' })
  @Omittable()
  @IsCalendarDate({ message: 'Enter the start of the period as a date, YYYY-MM-DD, like 2025-01-01' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-31', description: 'The last quarter end of the trend to show' })
  @Omittable()
  @IsCalendarDate({ message: 'Enter the end of the period as a date, YYYY-MM-DD, like 2026-12-31' })
  to?: string;

  @ApiPropertyOptional({ enum: COVERAGE_FORMATS, default: 'json' })
  @Omittable()
  @IsIn(COVERAGE_FORMATS, { message: 'Choose the format: json or csv' })
  format?: CoverageFormat;
}
