import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsUUID, Matches, Max, Min, ValidateIf } from 'class-validator';
import { NumberFromText, OmittableFields, SingleLineText } from 'src/common/validators';
import {
  CERTIFICATE_NAME_POLICIES,
  CertificateNamePolicy,
  ORGANISATION_KINDS,
  OrganisationKind,
} from 'src/organisations/organisation-kind';
import { PROFESSIONS, Profession } from 'src/users/profession';

export class CreateAreaDto {
  @ApiProperty({ example: 'E09000024', description: 'ONS local authority code' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toUpperCase() : value))
  @Matches(/^[EWSN]\d{8}$/, {
    message: 'Enter an ONS code: a letter E, W, S or N and 8 digits, like E09000024',
  })
  code: string;

  @ApiProperty({ example: 'Merton' })
  @SingleLineText(200, { empty: 'Enter a name', tooLong: 'Name must be 200 characters or fewer' })
  name: string;

  @ApiProperty({ example: 'London' })
  @SingleLineText(100, {
    empty: 'Enter a region, like London',
    tooLong: 'Region must be 100 characters or fewer',
  })
  region: string;
}

export class UpdateAreaDto extends OmittableFields(CreateAreaDto) {}

export class CreateOrganisationDto {
  @ApiProperty({ example: 'Merton Borough Council' })
  @SingleLineText(200, { empty: 'Enter a name', tooLong: 'Name must be 200 characters or fewer' })
  name: string;

  @ApiProperty({ enum: ORGANISATION_KINDS })
  @IsIn(ORGANISATION_KINDS, {
    message: `Choose a kind of organisation: one of ${ORGANISATION_KINDS.join(', ')}`,
  })
  kind: OrganisationKind;

  @ApiProperty()
  @IsUUID('all', { message: 'Choose an area from the list' })
  areaId: string;

  @ApiProperty({
    enum: CERTIFICATE_NAME_POLICIES,
    required: false,
    description: 'Whether its certificates keep the holder’s name once the holder’s data is erased',
  })
  // Left out, the organisation keeps its setting (new: remove); null is refused, not stored.
  @ValidateIf((dto: CreateOrganisationDto) => dto.certificateNamesAfterErasure !== undefined)
  @IsIn(CERTIFICATE_NAME_POLICIES, {
    message: 'Choose whether certificates keep the holder’s name after erasure: remove or keep',
  })
  certificateNamesAfterErasure?: CertificateNamePolicy;
}

export class UpdateOrganisationDto extends OmittableFields(CreateOrganisationDto) {}

export class WorkforceBaselineDto {
  @ApiProperty({ enum: PROFESSIONS })
  @IsIn(PROFESSIONS, { message: `Choose a profession: one of ${PROFESSIONS.join(', ')}` })
  profession: Profession;

  @ApiProperty({ example: 120 })
  @NumberFromText()
  @IsInt({ message: 'Enter the headcount as a whole number' })
  @Min(0, { message: 'Enter a headcount of 0 or more' })
  @Max(1_000_000)
  headcount: number;
}
