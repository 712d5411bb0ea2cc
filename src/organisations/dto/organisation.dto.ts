import { ApiProperty, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { ORGANISATION_KINDS, OrganisationKind } from 'src/organisations/organisation-kind';
import { PROFESSIONS, Profession } from 'src/users/profession';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateAreaDto {
  @ApiProperty({ example: 'E09000024', description: 'ONS local authority code' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toUpperCase() : value))
  @Matches(/^[EWSN]\d{8}$/, {
    message: 'code must be an ONS code: a letter E, W, S or N and 8 digits, like E09000024',
  })
  code: string;

  @ApiProperty({ example: 'Merton' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty({ message: 'name must not be empty' })
  @MaxLength(200)
  name: string;

  @ApiProperty({ example: 'London' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty({ message: 'region must not be empty' })
  @MaxLength(100)
  region: string;
}

export class UpdateAreaDto extends PartialType(CreateAreaDto) {}

export class CreateOrganisationDto {
  @ApiProperty({ example: 'Merton Borough Council' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty({ message: 'name must not be empty' })
  @MaxLength(200)
  name: string;

  @ApiProperty({ enum: ORGANISATION_KINDS })
  @IsIn(ORGANISATION_KINDS, { message: `kind must be one of ${ORGANISATION_KINDS.join(', ')}` })
  kind: OrganisationKind;

  @ApiProperty()
  @IsUUID('all', { message: 'areaId must be the id of an area' })
  areaId: string;
}

export class UpdateOrganisationDto extends PartialType(CreateOrganisationDto) {}

export class WorkforceBaselineDto {
  @ApiProperty({ enum: PROFESSIONS })
  @IsIn(PROFESSIONS, { message: `profession must be one of ${PROFESSIONS.join(', ')}` })
  profession: Profession;

  @ApiProperty({ example: 120 })
  @Type(() => Number)
  @IsInt({ message: 'headcount must be a whole number' })
  @Min(0, { message: 'headcount must not be negative' })
  @Max(1_000_000)
  headcount: number;
}
