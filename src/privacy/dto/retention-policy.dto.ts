import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, MaxLength } from 'class-validator';
import { NumberFromText } from 'src/common/validators';

/** One record type's period. Which types exist and the periods allowed are rules of the service (422). */
export class RetentionPolicyDto {
  @ApiProperty({ example: 'logbook-entries' })
  @IsString({ message: 'Give the record type as text, such as logbook-entries' })
  @MaxLength(60)
  recordType: string;

  @ApiProperty({ example: 72, description: 'How many months a record is kept once its clock has started' })
  @NumberFromText()
  @IsInt({ message: 'Enter the period as a whole number of months' })
  keepMonths: number;
}
