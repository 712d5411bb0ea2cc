import { ApiProperty } from '@nestjs/swagger';
import { SingleLineText } from 'src/common/validators';

export class RevokeCertificateDto {
  @ApiProperty({ example: 'Issued to the wrong person' })
  @SingleLineText(500, {
    empty: 'Give the reason for revoking it',
    tooLong: 'Keep the reason to 500 characters',
  })
  reason: string;
}
