import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { IsDateOrDateTime, NumberFromText, Omittable } from 'src/common/validators';

export class AuditQuery {
  @ApiPropertyOptional({ example: 'auth.signed_in' })
  @Omittable()
  @IsString()
  @MaxLength(80)
  action?: string;

  @ApiPropertyOptional()
  @Omittable()
  @IsUUID('all', { message: 'actorId must be a UUID' })
  actorId?: string;

  @ApiPropertyOptional({ description: 'The id of the record the event is about' })
  @Omittable()
  @IsString()
  @MaxLength(80)
  subjectId?: string;

  @ApiPropertyOptional({ description: 'ISO 8601 date or time, inclusive' })
  @Omittable()
  @IsDateOrDateTime()
  from?: string;

  @ApiPropertyOptional({ description: 'ISO 8601 date or time, exclusive' })
  @Omittable()
  @IsDateOrDateTime()
  to?: string;

  @ApiPropertyOptional({ default: 1 })
  @Omittable()
  @NumberFromText()
  @IsInt()
  @Min(1)
  page?: number;

  @ApiPropertyOptional({ default: 50 })
  @Omittable()
  @NumberFromText()
  @IsInt()
  @Min(1)
  @Max(200)
  pageSize?: number;
}
