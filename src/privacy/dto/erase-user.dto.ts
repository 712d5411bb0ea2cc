import { ApiProperty } from '@nestjs/swagger';
import { SingleLineText } from 'src/common/validators';

export class EraseUserDto {
  @ApiProperty({
    example: 'Erasure requested by the person on 1 December 2026 (ticket IG-1234)',
    description: 'Why the data is erased: kept in the audit log',
  })
  @SingleLineText(500, {
    empty: 'Give the reason for erasing this person’s data',
    tooLong: 'Keep the reason to 500 characters',
  })
  reason: string;
}
