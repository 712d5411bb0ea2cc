import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsIn,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
} from 'class-validator';
import { Omittable, SingleLineText } from 'src/common/validators';
import { COURSE_CODES, CourseCode } from 'src/courses/course-code';
import {
  MATERIAL_AUDIENCES,
  MATERIAL_KINDS,
  MaterialAudience,
  MaterialKind,
} from 'src/materials/material.entity';

export class CreateMaterialDto {
  @ApiProperty({ example: 'RPH', description: 'Capital letters, digits and hyphens, 2 to 40' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toUpperCase() : value))
  @Matches(/^[A-Z0-9][A-Z0-9-]{1,39}$/, {
    message: 'Enter a code of 2 to 40 letters, digits and hyphens, like RPH or FTM-2',
  })
  code: string;

  @ApiProperty({ example: 'Reflective Practice Handbook' })
  @SingleLineText(200, { empty: 'Enter a title', tooLong: 'Title must be 200 characters or fewer' })
  title: string;

  @ApiProperty({ enum: MATERIAL_KINDS })
  @IsIn(MATERIAL_KINDS, { message: `Choose a kind: one of ${MATERIAL_KINDS.join(', ')}` })
  kind: MaterialKind;

  @ApiProperty({ enum: COURSE_CODES, isArray: true })
  @IsIn(COURSE_CODES, { each: true, message: `Choose courses among ${COURSE_CODES.join(', ')}` })
  @ArrayUnique({ message: 'Name each course once' })
  @ArrayNotEmpty({ message: 'Choose at least one course' })
  @IsArray({ message: 'Choose at least one course' })
  courseCodes: CourseCode[];

  @ApiProperty({ enum: MATERIAL_AUDIENCES, isArray: true })
  @IsIn(MATERIAL_AUDIENCES, {
    each: true,
    message: `Choose who it is for among ${MATERIAL_AUDIENCES.join(', ')}`,
  })
  @ArrayUnique({ message: 'Name each audience once' })
  @ArrayNotEmpty({ message: 'Choose who it is for' })
  @IsArray({ message: 'Choose who it is for' })
  audience: MaterialAudience[];
}

/** The fields beside the PDF in the multipart upload of an edition. */
export class CreateEditionDto {
  @ApiProperty({ example: '2nd edition (2009)' })
  @SingleLineText(100, {
    empty: 'Enter the edition, like 2nd edition (2009)',
    tooLong: 'The edition must be 100 characters or fewer',
  })
  label: string;

  @ApiProperty({ example: 'Revised chapter 4 on the helping process.', required: false })
  @Transform(({ value }: { value: unknown }) => (value === undefined || value === null ? '' : value))
  @IsString({ message: 'Notes must be text' })
  @MaxLength(2000, { message: 'Notes must be 2000 characters or fewer' })
  notes: string;
}

export class DownloadQuery {
  @ApiPropertyOptional({
    description: 'An earlier edition the holder holds; by default the newest licensed to them',
  })
  @Omittable()
  @IsUUID('all', { message: 'edition must be the id of an edition' })
  edition?: string;
}

export class CopyHashParams {
  @ApiProperty({ description: "SHA-256 of a copy's file, 64 hexadecimal characters" })
  @Matches(/^[0-9a-fA-F]{64}$/, { message: 'A SHA-256 is 64 hexadecimal characters' })
  hash: string;
}
