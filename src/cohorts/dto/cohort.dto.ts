import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
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
import {
  EmptyAsNull,
  IsRfc3339DateTime,
  NestedType,
  Nullable,
  NumberFromText,
  Omittable,
  SingleLineText,
} from 'src/common/validators';
import { IsBookableEnd, IsBookableStart } from 'src/cohorts/dto/session-time.validators';
import { COURSE_CODES, CourseCode } from 'src/courses/course-code';
import { CreateUserDto } from 'src/users/dto/user.dto';

const timeMessage = (field: string) => ({
  message: `Enter ${field} as a date and time with an offset, like 2026-10-20T18:00:00+01:00`,
});
const TITLE = SingleLineText(200, {
  empty: 'Enter a title',
  tooLong: 'Title must be 200 characters or fewer',
});
const VENUE = SingleLineText(300, {
  empty: 'Enter a venue, or leave it out',
  tooLong: 'Venue must be 300 characters or fewer',
});

export class SessionInputDto {
  @ApiProperty({ example: '2026-10-20T18:00:00+01:00' })
  @IsBookableStart()
  @IsRfc3339DateTime(timeMessage('startsAt'))
  startsAt: string;

  @ApiProperty({ example: '2026-10-20T20:00:00+01:00' })
  @IsBookableEnd()
  @IsRfc3339DateTime(timeMessage('endsAt'))
  endsAt: string;

  @ApiPropertyOptional({ example: 'Session 1: the helping relationship' })
  @Omittable()
  @TITLE
  title?: string;

  @ApiPropertyOptional({ nullable: true, description: 'Overrides the cohort venue for this session' })
  @EmptyAsNull()
  @Nullable()
  @VENUE
  venue?: string | null;
}

export class ScheduleDto {
  @ApiProperty({
    example: '2026-10-13T18:00:00+01:00',
    description: 'First session; later ones keep its London time',
  })
  @IsBookableStart()
  @IsRfc3339DateTime(timeMessage('firstStartsAt'))
  firstStartsAt: string;

  @ApiProperty({ example: 120 })
  @Max(720, { message: 'A session lasts from 15 to 720 minutes' })
  @Min(15, { message: 'A session lasts from 15 to 720 minutes' })
  @IsInt({ message: 'A session lasts from 15 to 720 minutes' })
  @NumberFromText()
  durationMinutes: number;

  @ApiProperty({ example: 10 })
  @Max(52, { message: 'Schedule from 1 to 52 sessions' })
  @Min(1, { message: 'Schedule from 1 to 52 sessions' })
  @IsInt({ message: 'Schedule from 1 to 52 sessions' })
  @NumberFromText()
  count: number;

  @ApiProperty({ example: 1 })
  @Max(8, { message: 'Sessions are 1 to 8 weeks apart' })
  @Min(1, { message: 'Sessions are 1 to 8 weeks apart' })
  @IsInt({ message: 'Sessions are 1 to 8 weeks apart' })
  @NumberFromText()
  intervalWeeks: number;
}

export class SessionsInputDto {
  @ApiPropertyOptional({ type: [SessionInputDto] })
  @Omittable()
  @ValidateNested({ each: true })
  @NestedType(() => SessionInputDto)
  // ValidateNested passes a list inside the list unchecked: `[[]]` reached the database as a session without times.
  @IsObject({ each: true, message: 'Give each session as an object with startsAt and endsAt' })
  @ArrayMaxSize(52)
  @IsArray()
  sessions?: SessionInputDto[];

  @ApiPropertyOptional({ type: ScheduleDto })
  @Omittable()
  @ValidateNested()
  @NestedType(() => ScheduleDto)
  schedule?: ScheduleDto;
}

export class CreateCohortDto extends SessionsInputDto {
  @ApiProperty({ enum: COURSE_CODES })
  @IsIn(COURSE_CODES, { message: `Choose a course: one of ${COURSE_CODES.join(', ')}` })
  courseCode: CourseCode;

  @ApiProperty({ example: 'Foundation, Merton, autumn 2026' })
  @TITLE
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
  @NumberFromText()
  capacity: number;

  @ApiProperty({ enum: DELIVERY_MODES })
  @IsIn(DELIVERY_MODES, { message: `Choose how it is delivered: one of ${DELIVERY_MODES.join(', ')}` })
  deliveryMode: DeliveryMode;

  @ApiPropertyOptional({ nullable: true, example: 'Merton Civic Centre, Room 4' })
  @EmptyAsNull()
  @Nullable()
  @VENUE
  venue?: string | null;

  @ApiPropertyOptional({ type: [String] })
  @Omittable()
  @IsUUID('all', { each: true, message: 'Choose facilitators from the list' })
  @ArrayUnique()
  @ArrayMaxSize(10)
  @IsArray()
  facilitatorIds?: string[];
}

export class UpdateCohortDto {
  @ApiPropertyOptional()
  @Omittable()
  @TITLE
  title?: string;

  @ApiPropertyOptional()
  @Omittable()
  @Max(500, { message: 'Capacity is from 1 to 500 places' })
  @Min(1, { message: 'Capacity is from 1 to 500 places' })
  @IsInt({ message: 'Capacity is from 1 to 500 places' })
  @NumberFromText()
  capacity?: number;

  @ApiPropertyOptional({ enum: DELIVERY_MODES })
  @Omittable()
  @IsIn(DELIVERY_MODES, { message: `Choose how it is delivered: one of ${DELIVERY_MODES.join(', ')}` })
  deliveryMode?: DeliveryMode;

  @ApiPropertyOptional({ nullable: true })
  @EmptyAsNull()
  @Nullable()
  @VENUE
  venue?: string | null;

  @ApiPropertyOptional({ enum: COHORT_STATUSES })
  @Omittable()
  @IsIn(COHORT_STATUSES, { message: `Choose a status: one of ${COHORT_STATUSES.join(', ')}` })
  status?: CohortStatus;
}

export class UpdateSessionDto {
  @ApiPropertyOptional()
  @Omittable()
  @IsBookableStart()
  @IsRfc3339DateTime(timeMessage('startsAt'))
  startsAt?: string;

  @ApiPropertyOptional()
  @Omittable()
  @IsBookableEnd()
  @IsRfc3339DateTime(timeMessage('endsAt'))
  endsAt?: string;

  @ApiPropertyOptional({ nullable: true })
  @EmptyAsNull()
  @Nullable()
  @VENUE
  venue?: string | null;

  @ApiPropertyOptional()
  @Omittable()
  @TITLE
  title?: string;

  @ApiPropertyOptional({ enum: ['cancelled'] })
  @Omittable()
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
  @Omittable()
  @IsBoolean()
  madeUp?: boolean;
}

export class ListCohortsQuery {
  @ApiPropertyOptional({ enum: COHORT_STATUSES })
  @Omittable()
  @IsIn(COHORT_STATUSES, { message: `Choose a status: one of ${COHORT_STATUSES.join(', ')}` })
  status?: CohortStatus;

  @ApiPropertyOptional({ enum: COURSE_CODES })
  @Omittable()
  @IsIn(COURSE_CODES, { message: `Choose a course: one of ${COURSE_CODES.join(', ')}` })
  course?: CourseCode;

  @ApiPropertyOptional()
  @Omittable()
  @IsUUID('all', { message: 'Choose an area' })
  areaId?: string;

  @ApiPropertyOptional({ description: 'Part of the title' })
  @Omittable()
  @MaxLength(100)
  @IsString()
  q?: string;
}

export class OpenCohortsQuery {
  @ApiPropertyOptional({ description: 'The id of an area' })
  @Omittable()
  @IsUUID('all', { message: 'Choose an area' })
  area?: string;

  @ApiPropertyOptional({ enum: COURSE_CODES })
  @Omittable()
  @IsIn(COURSE_CODES, { message: `Choose a course: one of ${COURSE_CODES.join(', ')}` })
  course?: CourseCode;
}

export class ListEnrolmentsQuery {
  @ApiPropertyOptional({ enum: ENROLMENT_STATUSES })
  @Omittable()
  @IsIn(ENROLMENT_STATUSES)
  status?: EnrolmentStatus;
}

export class BulkPersonDto extends PickType(CreateUserDto, ['email', 'name', 'organisationId'] as const) {
  @ApiProperty({ description: 'A profession’s code or its name, such as health_visitor or Health visitor' })
  @SingleLineText(100, {
    empty: 'Enter the person’s profession',
    tooLong: 'The profession must be 100 characters or fewer',
  })
  profession: string;
}

export const MAX_BULK_PEOPLE = 200;

export class BulkEnrolmentDto {
  @ApiProperty({
    type: [BulkPersonDto],
    description: `Up to ${MAX_BULK_PEOPLE} people, placed in this order. Each is checked on its own: a bad row is reported and the rest go ahead.`,
  })
  @IsArray({ message: 'people must be a list' })
  @ArrayNotEmpty({ message: 'List at least one person' })
  @ArrayMaxSize(MAX_BULK_PEOPLE, { message: `List at most ${MAX_BULK_PEOPLE} people at a time` })
  @IsObject({ each: true, message: 'Each person must be an object with email, name and profession' })
  people: Record<string, unknown>[];

  @ApiPropertyOptional({ description: 'Say what would happen to each person, and change nothing' })
  @Omittable()
  @IsBoolean({ message: 'dryRun must be true or false' })
  dryRun?: boolean;
}
