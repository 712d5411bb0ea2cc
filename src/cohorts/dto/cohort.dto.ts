import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDateString,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { ATTENDANCE_STATUSES, AttendanceStatus } from 'src/cohorts/attendance.entity';
import { COHORT_STATUSES, CohortStatus, DELIVERY_MODES, DeliveryMode } from 'src/cohorts/cohort.entity';
import { FACILITATOR_ROLES, FacilitatorRole } from 'src/cohorts/cohort-facilitator.entity';
import { ENROLMENT_STATUSES, EnrolmentStatus } from 'src/cohorts/enrolment.entity';
import { COURSE_CODES, CourseCode } from 'src/courses/course-code';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const emptyToNull = ({ value }: { value: unknown }) => (value === '' ? null : value);
const ISO_WITH_OFFSET = { strict: true } as const;
const timeMessage = (field: string) =>
  `Enter ${field} as an ISO 8601 date and time with an offset, like 2026-10-20T18:00:00+01:00`;

export class SessionInputDto {
  @ApiProperty({ example: '2026-10-20T18:00:00+01:00' })
  @IsDateString(ISO_WITH_OFFSET, { message: timeMessage('startsAt') })
  startsAt: string;

  @ApiProperty({ example: '2026-10-20T20:00:00+01:00' })
  @IsDateString(ISO_WITH_OFFSET, { message: timeMessage('endsAt') })
  endsAt: string;

  @ApiPropertyOptional({ example: 'Session 1: the helping relationship' })
  @IsOptional()
  @MaxLength(200)
  @IsString()
  title?: string;

  @ApiPropertyOptional({ description: 'Overrides the cohort venue for this session' })
  @IsOptional()
  @MaxLength(300)
  @IsString()
  venue?: string;
}

export class ScheduleDto {
  @ApiProperty({
    example: '2026-10-13T18:00:00+01:00',
    description: 'First session; later ones keep its London time',
  })
  @IsDateString(ISO_WITH_OFFSET, { message: timeMessage('firstStartsAt') })
  firstStartsAt: string;

  @ApiProperty({ example: 120 })
  @Max(720, { message: 'A session lasts from 15 to 720 minutes' })
  @Min(15, { message: 'A session lasts from 15 to 720 minutes' })
  @IsInt({ message: 'A session lasts from 15 to 720 minutes' })
  @Type(() => Number)
  durationMinutes: number;

  @ApiProperty({ example: 10 })
  @Max(52, { message: 'Schedule from 1 to 52 sessions' })
  @Min(1, { message: 'Schedule from 1 to 52 sessions' })
  @IsInt({ message: 'Schedule from 1 to 52 sessions' })
  @Type(() => Number)
  count: number;

  @ApiProperty({ example: 1 })
  @Max(8, { message: 'Sessions are 1 to 8 weeks apart' })
  @Min(1, { message: 'Sessions are 1 to 8 weeks apart' })
  @IsInt({ message: 'Sessions are 1 to 8 weeks apart' })
  @Type(() => Number)
  intervalWeeks: number;
}

export class SessionsInputDto {
  @ApiPropertyOptional({ type: [SessionInputDto] })
  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => SessionInputDto)
  @ArrayMaxSize(52)
  @IsArray()
  sessions?: SessionInputDto[];

  @ApiPropertyOptional({ type: ScheduleDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ScheduleDto)
  schedule?: ScheduleDto;
}

export class CreateCohortDto extends SessionsInputDto {
  @ApiProperty({ enum: COURSE_CODES })
  @IsIn(COURSE_CODES, { message: `Choose a course: one of ${COURSE_CODES.join(', ')}` })
  courseCode: CourseCode;

  @ApiProperty({ example: 'Foundation, Merton, autumn 2026' })
  @Transform(trim)
  @MaxLength(200, { message: 'Title must be 200 characters or fewer' })
  @IsString({ message: 'Enter a title' })
  @IsNotEmpty({ message: 'Enter a title' })
  title: string;

  @ApiProperty()
  @IsUUID('all', { message: 'Choose the host organisation' })
  organisationId: string;

  @ApiProperty()
  @IsUUID('all', { message: 'Choose the area' })
  areaId: string;

  @ApiProperty({ example: 16 })
  @Max(500, { message: 'Capacity is from 1 to 500 places' })
  @Min(1, { message: 'Capacity is from 1 to 500 places' })
  @IsInt({ message: 'Capacity is from 1 to 500 places' })
  @Type(() => Number)
  capacity: number;

  @ApiProperty({ enum: DELIVERY_MODES })
  @IsIn(DELIVERY_MODES, { message: `Choose how it is delivered: one of ${DELIVERY_MODES.join(', ')}` })
  deliveryMode: DeliveryMode;

  @ApiPropertyOptional({ nullable: true, example: 'Merton Civic Centre, Room 4' })
  @Transform(emptyToNull)
  @IsOptional()
  @MaxLength(300, { message: 'Venue must be 300 characters or fewer' })
  @IsString()
  venue?: string | null;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsUUID('all', { each: true, message: 'Choose facilitators from the list' })
  @ArrayUnique()
  @ArrayMaxSize(10)
  @IsArray()
  facilitatorIds?: string[];
}

export class UpdateCohortDto {
  @ApiPropertyOptional()
  @Transform(trim)
  @IsOptional()
  @MaxLength(200, { message: 'Title must be 200 characters or fewer' })
  @IsString({ message: 'Enter a title' })
  @IsNotEmpty({ message: 'Enter a title' })
  title?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Max(500, { message: 'Capacity is from 1 to 500 places' })
  @Min(1, { message: 'Capacity is from 1 to 500 places' })
  @IsInt({ message: 'Capacity is from 1 to 500 places' })
  @Type(() => Number)
  capacity?: number;

  @ApiPropertyOptional({ enum: DELIVERY_MODES })
  @IsOptional()
  @IsIn(DELIVERY_MODES, { message: `Choose how it is delivered: one of ${DELIVERY_MODES.join(', ')}` })
  deliveryMode?: DeliveryMode;

  @ApiPropertyOptional({ nullable: true })
  @Transform(emptyToNull)
  @IsOptional()
  @MaxLength(300, { message: 'Venue must be 300 characters or fewer' })
  @IsString()
  venue?: string | null;

  @ApiPropertyOptional({ enum: COHORT_STATUSES })
  @IsOptional()
  @IsIn(COHORT_STATUSES, { message: `Choose a status: one of ${COHORT_STATUSES.join(', ')}` })
  status?: CohortStatus;
}

export class UpdateSessionDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsDateString(ISO_WITH_OFFSET, { message: timeMessage('startsAt') })
  startsAt?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsDateString(ISO_WITH_OFFSET, { message: timeMessage('endsAt') })
  endsAt?: string;

  @ApiPropertyOptional({ nullable: true })
  @Transform(emptyToNull)
  @IsOptional()
  @MaxLength(300)
  @IsString()
  venue?: string | null;

  @ApiPropertyOptional()
  @IsOptional()
  @MaxLength(200)
  @IsString()
  @IsNotEmpty({ message: 'Enter a title' })
  title?: string;

  @ApiPropertyOptional({ enum: ['cancelled'] })
  @IsOptional()
  @IsIn(['cancelled'], { message: 'A session can only be cancelled this way' })
  status?: 'cancelled';
}

export class AddFacilitatorDto {
  @ApiProperty()
  @IsUUID('all', { message: 'Choose a facilitator' })
  userId: string;

  @ApiProperty({ enum: FACILITATOR_ROLES })
  @IsIn(FACILITATOR_ROLES, { message: `Choose a role: one of ${FACILITATOR_ROLES.join(', ')}` })
  role: FacilitatorRole;
}

export class EnrolDto {
  @ApiProperty({ description: 'The trainee; a trainee asking for a place gives their own id' })
  @IsUUID('all', { message: 'Choose a trainee' })
  traineeId: string;
}

export class AttendanceEntryDto {
  @ApiProperty()
  @IsUUID('all', { message: 'enrolmentId must be an enrolment of this cohort' })
  enrolmentId: string;

  @ApiProperty({ enum: ATTENDANCE_STATUSES })
  @IsIn(ATTENDANCE_STATUSES, { message: `Choose present, late, absent or excused` })
  status: AttendanceStatus;

  @ApiPropertyOptional({ description: 'For an excused absence: the session has been made up' })
  @IsOptional()
  @IsBoolean()
  madeUp?: boolean;
}

export class ListCohortsQuery {
  @ApiPropertyOptional({ enum: COHORT_STATUSES })
  @IsOptional()
  @IsIn(COHORT_STATUSES, { message: `Choose a status: one of ${COHORT_STATUSES.join(', ')}` })
  status?: CohortStatus;

  @ApiPropertyOptional({ enum: COURSE_CODES })
  @IsOptional()
  @IsIn(COURSE_CODES, { message: `Choose a course: one of ${COURSE_CODES.join(', ')}` })
  course?: CourseCode;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all', { message: 'Choose an area' })
  areaId?: string;

  @ApiPropertyOptional({ description: 'Part of the title' })
  @IsOptional()
  @MaxLength(100)
  @IsString()
  q?: string;
}

export class ListEnrolmentsQuery {
  @ApiPropertyOptional({ enum: ENROLMENT_STATUSES })
  @IsOptional()
  @IsIn(ENROLMENT_STATUSES)
  status?: EnrolmentStatus;
}
