import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsEmail,
  IsIn,
  IsString,
  IsUUID,
  MaxLength,
} from 'class-validator';
import { ROLES, Role } from 'src/common/role';
import {
  EmptyAsNull,
  ListFromForm,
  NormalisedEmail,
  Nullable,
  Omittable,
  OmittableFields,
  SingleLineText,
} from 'src/common/validators';
import { PROFESSIONS, Profession } from 'src/users/profession';

export class CreateUserDto {
  @ApiProperty({ example: 'sam.patel@merton.gov.uk' })
  @NormalisedEmail()
  @MaxLength(254, { message: 'E-mail address must be 254 characters or fewer' })
  @IsEmail({}, { message: 'Enter an e-mail address, like name@example.org' })
  email: string;

  @ApiProperty({ example: 'Sam Patel' })
  @SingleLineText(200, { empty: 'Enter a name', tooLong: 'Name must be 200 characters or fewer' })
  name: string;

  @ApiProperty({ enum: ROLES, isArray: true })
  @ListFromForm()
  @IsIn(ROLES, { each: true, message: `Choose roles from: ${ROLES.join(', ')}` })
  @ArrayUnique({ message: 'Name each role once' })
  @ArrayNotEmpty({ message: 'Choose at least one role' })
  @IsArray({ message: 'Choose at least one role' })
  roles: Role[];

  @ApiPropertyOptional({ nullable: true })
  @EmptyAsNull()
  @Nullable()
  @IsUUID('all', { message: 'Choose an organisation from the list' })
  organisationId?: string | null;

  @ApiPropertyOptional({ enum: PROFESSIONS, nullable: true })
  @EmptyAsNull()
  @Nullable()
  @IsIn(PROFESSIONS, { message: `Choose a profession: one of ${PROFESSIONS.join(', ')}` })
  profession?: Profession | null;

  @ApiPropertyOptional({ description: 'Areas a commissioner covers', type: [String] })
  @ListFromForm()
  @Omittable()
  @IsArray()
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true, message: 'Choose areas from the list' })
  areaIds?: string[];
}

export class UpdateUserDto extends OmittableFields(OmitType(CreateUserDto, ['email'] as const)) {
  @ApiPropertyOptional({ enum: ['active', 'disabled'], description: 'Disable a leaver; enable them again' })
  @Omittable()
  @IsIn(['active', 'disabled'], { message: 'status must be active or disabled' })
  status?: 'active' | 'disabled';
}

export class ListUsersQuery {
  @ApiPropertyOptional({ enum: ROLES })
  @Omittable()
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role?: Role;

  @ApiPropertyOptional({ description: 'Part of a name or e-mail address' })
  @Omittable()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional()
  @Omittable()
  @IsUUID('all', { message: 'Choose an organisation from the list' })
  organisationId?: string;
}
