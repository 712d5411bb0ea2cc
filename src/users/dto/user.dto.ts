import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsEmail,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
} from 'class-validator';
import { ROLES, Role } from 'src/common/role';
import { PROFESSIONS, Profession } from 'src/users/profession';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
// HTML forms send one checkbox as a string and several as an array; '' means none ticked.
const toList = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? (value === '' ? [] : [value]) : value;
const emptyToNull = ({ value }: { value: unknown }) => (value === '' ? null : value);

export class CreateUserDto {
  @ApiProperty({ example: 'sam.patel@merton.gov.uk' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @MaxLength(254, { message: 'E-mail address must be 254 characters or fewer' })
  @IsEmail({}, { message: 'Enter an e-mail address, like name@example.org' })
  email: string;

  @ApiProperty({ example: 'Sam Patel' })
  @Transform(trim)
  @MaxLength(200, { message: 'Name must be 200 characters or fewer' })
  @IsString({ message: 'Enter a name' })
  @IsNotEmpty({ message: 'Enter a name' })
  name: string;

  @ApiProperty({ enum: ROLES, isArray: true })
  @Transform(toList)
  @IsIn(ROLES, { each: true, message: `Choose roles from: ${ROLES.join(', ')}` })
  @ArrayUnique({ message: 'Name each role once' })
  @ArrayNotEmpty({ message: 'Choose at least one role' })
  @IsArray({ message: 'Choose at least one role' })
  roles: Role[];

  @ApiPropertyOptional({ nullable: true })
  @Transform(emptyToNull)
  @IsOptional()
  @IsUUID('all', { message: 'Choose an organisation from the list' })
  organisationId?: string | null;

  @ApiPropertyOptional({ enum: PROFESSIONS, nullable: true })
  @Transform(emptyToNull)
  @IsOptional()
  @IsIn(PROFESSIONS, { message: `Choose a profession: one of ${PROFESSIONS.join(', ')}` })
  profession?: Profession | null;

  @ApiPropertyOptional({ description: 'Areas a commissioner covers', type: [String] })
  @Transform(toList)
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true, message: 'Choose areas from the list' })
  areaIds?: string[];
}

export class UpdateUserDto extends PartialType(OmitType(CreateUserDto, ['email'] as const)) {
  @ApiPropertyOptional({ enum: ['active', 'disabled'], description: 'Disable a leaver; enable them again' })
  @IsOptional()
  @IsIn(['active', 'disabled'], { message: 'status must be active or disabled' })
  status?: 'active' | 'disabled';
}

export class ListUsersQuery {
  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role?: Role;

  @ApiPropertyOptional({ description: 'Part of a name or e-mail address' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all', { message: 'Choose an organisation from the list' })
  organisationId?: string;
}
