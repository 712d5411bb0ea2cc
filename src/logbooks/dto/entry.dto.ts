import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import {
  EmptyAsNull,
  IsCalendarDate,
  IsNotInFuture,
  ListFromForm,
  Nullable,
  NumberFromText,
  Omittable,
  OmittableFields,
  SingleLineText,
} from 'src/common/validators';
import {
  ENTRY_KINDS,
  EntryKind,
  HELPER_SKILLS,
  HELPING_PROCESS_STAGES,
  PROMPT_MAX_CHARACTERS,
} from 'src/logbooks/entry-kinds';
import { REVIEW_DECISIONS, ReviewDecision } from 'src/logbooks/logbook-review.entity';

const tooLong = (label: string) =>
  `${label} must be ${PROMPT_MAX_CHARACTERS.toLocaleString('en-GB')} characters or fewer`;

/** A draft saves whatever has been written so far: only types and lengths are checked until it is submitted. */
export class CreateEntryDto {
  @ApiProperty({ enum: ENTRY_KINDS })
  @IsIn(ENTRY_KINDS, { message: `Choose the kind of entry: one of ${ENTRY_KINDS.join(', ')}` })
  kind: EntryKind;

  @ApiPropertyOptional({ nullable: true, description: 'The session reflected on, or co-facilitated' })
  @EmptyAsNull()
  @Nullable()
  @IsUUID('all', { message: 'Choose a session from the list' })
  sessionId?: string | null;

  @ApiProperty({ example: '2026-11-20', description: 'When it happened (a date, today or earlier)' })
  @IsNotInFuture({ message: 'The date must be today or earlier' })
  @IsCalendarDate({ message: 'Enter the date as YYYY-MM-DD, for example 2026-11-20' })
  occurredOn: string;

  @ApiPropertyOptional({ nullable: true, description: 'Practice contact: how long, in minutes' })
  @NumberFromText()
  @EmptyAsNull()
  @Nullable()
  @IsInt({ message: 'Enter the minutes as a whole number' })
  @Min(1, { message: 'Enter at least 1 minute' })
  @Max(600, { message: 'Enter at most 600 minutes' })
  minutes?: number | null;

  @ApiPropertyOptional({ enum: HELPING_PROCESS_STAGES, nullable: true })
  @EmptyAsNull()
  @Nullable()
  @IsIn(HELPING_PROCESS_STAGES, { message: 'Choose a stage of the helping process' })
  stage?: string | null;

  @ApiPropertyOptional({ enum: HELPER_SKILLS, isArray: true })
  @ListFromForm()
  @Omittable()
  @IsArray({ message: 'Choose the skills from the list' })
  @ArrayMaxSize(HELPER_SKILLS.length)
  @ArrayUnique({ message: 'Choose each skill once' })
  @IsIn(HELPER_SKILLS, { each: true, message: 'Choose the skills from the list' })
  skills?: string[];

  @ApiPropertyOptional({ nullable: true, description: 'Co-facilitation: was the session observed?' })
  @EmptyAsNull()
  @Nullable()
  @IsBoolean({ message: 'Say whether the session was observed' })
  observed?: boolean | null;

  @ApiPropertyOptional({ nullable: true, description: 'Co-facilitation: the observer’s name and role' })
  @EmptyAsNull()
  @Nullable()
  @SingleLineText(200, { empty: 'Enter who observed the session', tooLong: 'Keep this to 200 characters' })
  observedBy?: string | null;

  @ApiPropertyOptional()
  @Omittable()
  @IsString()
  @MaxLength(PROMPT_MAX_CHARACTERS, { message: tooLong('What happened') })
  whatHappened?: string;

  @ApiPropertyOptional({ description: 'What I thought and felt' })
  @Omittable()
  @IsString()
  @MaxLength(PROMPT_MAX_CHARACTERS, { message: tooLong('What you thought and felt') })
  reflection?: string;

  @ApiPropertyOptional({ description: 'What I learned about the model' })
  @Omittable()
  @IsString()
  @MaxLength(PROMPT_MAX_CHARACTERS, { message: tooLong('What you learned') })
  learning?: string;

  @ApiPropertyOptional({ description: 'What I will do next' })
  @Omittable()
  @IsString()
  @MaxLength(PROMPT_MAX_CHARACTERS, { message: tooLong('What you will do next') })
  nextSteps?: string;
}

export class UpdateEntryDto extends OmittableFields(OmitType(CreateEntryDto, ['kind'] as const)) {}

export class SubmitEntryDto {
  @ApiPropertyOptional({ description: 'The trainee has checked the possible names the screener warned of' })
  @Omittable()
  @IsBoolean({ message: 'confirmNames must be true or false' })
  confirmNames?: boolean;
}

export class ReviewEntryDto {
  @ApiProperty({ enum: REVIEW_DECISIONS })
  @IsIn(REVIEW_DECISIONS, { message: 'Choose to accept the entry or return it' })
  decision: ReviewDecision;

  @ApiPropertyOptional({ description: 'Required when the entry is returned' })
  @EmptyAsNull()
  @Nullable()
  @IsString()
  @MaxLength(PROMPT_MAX_CHARACTERS, { message: tooLong('Feedback') })
  feedback?: string | null;
}
