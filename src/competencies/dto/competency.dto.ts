import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsNotEmpty,
  IsString,
  IsUUID,
  MaxLength,
} from 'class-validator';
import { SIGNABLE_OUTCOMES, SignableOutcome } from 'src/competencies/competency-group';
import { ListFromForm, Omittable, Trimmed } from 'src/common/validators';

export const MAX_COMMENT_CHARACTERS = 2_000;
export const MAX_EVIDENCE_ENTRIES = 20;

export class SignOffDto {
  @ApiProperty({ enum: SIGNABLE_OUTCOMES })
  @IsIn(SIGNABLE_OUTCOMES, { message: 'Choose met or not yet met' })
  outcome: SignableOutcome;

  @ApiPropertyOptional({
    type: [String],
    description: 'Accepted logbook entries of the same enrolment that show the competency',
  })
  @ListFromForm()
  @Omittable()
  @IsUUID('all', { each: true, message: 'Choose evidence from the trainee’s accepted logbook entries' })
  @ArrayUnique({ message: 'Name each logbook entry once' })
  @ArrayMaxSize(MAX_EVIDENCE_ENTRIES, {
    message: `Choose at most ${MAX_EVIDENCE_ENTRIES} logbook entries as evidence`,
  })
  @IsArray({ message: 'Choose evidence from the trainee’s accepted logbook entries' })
  evidenceEntryIds?: string[];

  @ApiProperty({ example: 'Showed empathic responding throughout the role play in session 4.' })
  @Trimmed()
  @MaxLength(MAX_COMMENT_CHARACTERS, {
    message: `Comment must be ${MAX_COMMENT_CHARACTERS.toLocaleString('en-GB')} characters or fewer`,
  })
  @IsNotEmpty({ message: 'Enter a comment: what you saw, or what is still to show' })
  @IsString({ message: 'Enter a comment: what you saw, or what is still to show' })
  comment: string;
}

export class RevokeSignOffDto {
  @ApiProperty({ example: 'Signed off for the wrong trainee.' })
  @Trimmed()
  @MaxLength(MAX_COMMENT_CHARACTERS, {
    message: `Reason must be ${MAX_COMMENT_CHARACTERS.toLocaleString('en-GB')} characters or fewer`,
  })
  @IsNotEmpty({ message: 'Enter the reason for revoking this sign-off' })
  @IsString({ message: 'Enter the reason for revoking this sign-off' })
  reason: string;
}

/** The revoke form of a page: the record it revokes travels in the form, beside the reason. */
export class RevokeSignOffFormDto extends RevokeSignOffDto {
  @IsUUID('all', { message: 'Choose the sign-off to revoke' })
  signOffId: string;
}
