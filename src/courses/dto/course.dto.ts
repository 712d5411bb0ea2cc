import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, Max, Min, ValidateNested } from 'class-validator';
import {
  IsCalendarDate,
  IsDateAfter,
  IsNotInFuture,
  NestedType,
  Nullable,
  NumberFromText,
  Omittable,
  SingleLineText,
} from 'src/common/validators';
import { COURSE_CODES, CourseCode } from 'src/courses/course-code';

const courseCodeMessage = `Choose a course: one of ${COURSE_CODES.join(', ')}`;

class AttendanceRulesDto {
  @ApiProperty({ example: 90 })
  @Max(100, { message: 'Enter a percentage from 0 to 100' })
  @Min(0, { message: 'Enter a percentage from 0 to 100' })
  @IsInt({ message: 'Enter a percentage from 0 to 100' })
  minimumPercent: number;

  @ApiProperty()
  @IsBoolean()
  lateCounts: boolean;

  @ApiProperty()
  @IsBoolean()
  excusedCountsWhenMadeUp: boolean;
}

class LogbookRulesDto {
  @IsBoolean()
  reflectionPerAttendedSession: boolean;

  @Min(0)
  @IsInt()
  practiceContacts: number;

  @Min(0)
  @IsInt()
  supervisionReflections: number;

  @Min(0)
  @IsInt()
  reflections: number;

  @IsBoolean()
  observedCoFacilitation: boolean;
}

export class CourseRulesDto {
  @ApiProperty({ example: 10 })
  @Max(52, { message: 'A course has from 1 to 52 sessions' })
  @Min(1, { message: 'A course has from 1 to 52 sessions' })
  @IsInt({ message: 'A course has from 1 to 52 sessions' })
  sessions: number;

  @ApiProperty({ type: AttendanceRulesDto })
  @ValidateNested()
  @NestedType(() => AttendanceRulesDto)
  attendance: AttendanceRulesDto;

  @ApiProperty({ enum: COURSE_CODES, isArray: true })
  @IsIn(COURSE_CODES, { each: true, message: courseCodeMessage })
  @ArrayUnique()
  @IsArray()
  prerequisites: CourseCode[];

  @ApiProperty({ example: 2 })
  @Max(10)
  @Min(0)
  @IsInt()
  minAccreditedFacilitators: number;

  @ApiProperty({ type: LogbookRulesDto })
  @ValidateNested()
  @NestedType(() => LogbookRulesDto)
  logbook: LogbookRulesDto;

  @ApiPropertyOptional({ nullable: true, example: 3 })
  @Nullable()
  @Max(10)
  @Min(1)
  @IsInt()
  accreditationYears: number | null;
}

export class CreateCourseVersionDto {
  @ApiProperty({ example: 'Foundation course (2027 edition)' })
  @SingleLineText(200, { empty: 'Enter a title', tooLong: 'Title must be 200 characters or fewer' })
  title: string;

  @ApiProperty({ type: CourseRulesDto })
  @ValidateNested()
  @NestedType(() => CourseRulesDto)
  rules: CourseRulesDto;
}

export class RecordAccreditationDto {
  @ApiProperty({ enum: COURSE_CODES, description: 'The course the person is accredited to deliver' })
  @IsIn(COURSE_CODES, { message: courseCodeMessage })
  courseCode: CourseCode;

  @ApiProperty({ example: '2025-03-01' })
  @IsNotInFuture({ message: 'The date granted must be today or earlier' })
  @IsCalendarDate({ message: 'Enter the date granted as YYYY-MM-DD' })
  grantedOn: string;

  @ApiProperty({ example: '2028-03-01' })
  @IsDateAfter('grantedOn', { message: 'The expiry date must be after the date granted' })
  @IsCalendarDate({ message: 'Enter the expiry date as YYYY-MM-DD' })
  expiresOn: string;
}

export class RecordCompletionDto {
  @ApiProperty({ enum: COURSE_CODES })
  @IsIn(COURSE_CODES, { message: courseCodeMessage })
  courseCode: CourseCode;

  @ApiProperty({ example: '2024-06-30' })
  @IsNotInFuture({ message: 'The completion date must be today or earlier' })
  @IsCalendarDate({ message: 'Enter the completion date as YYYY-MM-DD' })
  completedOn: string;
}

export class RenewAccreditationDto {
  @ApiProperty({
    example: '2027-02-01',
    description: 'The day the renewal was earned; the accreditation runs its years from it',
  })
  @IsNotInFuture({ message: 'The renewal date must be today or earlier' })
  @IsCalendarDate({ message: 'Enter the renewal date as YYYY-MM-DD' })
  renewedOn: string;

  @ApiProperty({ example: 'Refresher day and an observed Foundation session, March 2027' })
  @SingleLineText(500, {
    empty: 'Say what the renewal was based on',
    tooLong: 'Keep the note to 500 characters',
  })
  note: string;
}

export class NearExpiryQueryDto {
  @ApiPropertyOptional({
    default: 90,
    description: 'Expiring within, or expired no longer ago than, this many days',
  })
  @Omittable()
  @NumberFromText()
  @Max(1095, { message: 'Ask for up to 1095 days (3 years)' })
  @Min(1, { message: 'Ask for at least 1 day' })
  @IsInt({ message: 'Enter a whole number of days' })
  withinDays?: number;
}
