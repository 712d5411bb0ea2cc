import { IsString, MaxLength } from 'class-validator';
import { SetPasswordDto } from 'src/auth/dto/auth.dto';
import { Omittable } from 'src/common/validators';

export class SetPasswordFormDto extends SetPasswordDto {
  @IsString()
  @MaxLength(256)
  confirmPassword: string;
}

export class SignInFormDto {
  @Omittable()
  @IsString()
  @MaxLength(2000)
  next?: string;
}
