import { IsString, MaxLength } from 'class-validator';
import { SetPasswordDto } from 'src/auth/dto/auth.dto';

export class SetPasswordFormDto extends SetPasswordDto {
  @IsString()
  @MaxLength(256)
  confirmPassword: string;
}
