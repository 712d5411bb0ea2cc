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
    message: 'Enter an ONS code: a letter E, W, S or N and 8 digits, like E09000024',
  })
  code: string;

  @ApiProperty({ example: 'Merton' })
  @Transform(trim)
  @MaxLength(200, { message: 'Name must be 200 characters or fewer' })
  @IsString({ message: 'Enter a name' })
  @IsNotEmpty({ message: 'Enter a name' })
  name: string;

  @ApiProperty({ example: 'London' })
  @Transform(trim)
  @MaxLength(100, { message: 'Region must be 100 characters or fewer' })
  @IsString({ message: 'Enter a region, like London' })
  @IsNotEmpty({ message: 'Enter a region, like London' })
  region: string;
}

export class UpdateAreaDto extends PartialType(CreateAreaDto) {}

export class CreateOrganisationDto {
  @ApiProperty({ example: 'Merton Borough Council' })
  @Transform(trim)
  @MaxLength(200, { message: 'Name must be 200 characters or fewer' })
  @IsString({ message: 'Enter a name' })
  @IsNotEmpty({ message: 'Enter a name' })
  name: string;

  @ApiProperty({ enum: ORGANISATION_KINDS })
  @IsIn(ORGANISATION_KINDS, {
    message: `Choose a kind of organisation: one of ${ORGANISATION_KINDS.join(', ')}`,
  })
  kind: OrganisationKind;

  @ApiProperty()
  @IsUUID('all', { message: 'Choose an area from the list' })
  areaId: string;
}

export class UpdateOrganisationDto extends PartialType(CreateOrganisationDto) {}

export class WorkforceBaselineDto {
  @ApiProperty({ enum: PROFESSIONS })
  @IsIn(PROFESSIONS, { message: `Choose a profession: one of ${PROFESSIONS.join(', ')}` })
  profession: Profession;

  @ApiProperty({ example: 120 })
  @Type(() => Number)
  @IsInt({ message: 'Enter the headcount as a whole number' })
  @Min(0, { message: 'Enter a headcount of 0 or more' })
  @Max(1_000_000)
  headcount: number;
}
