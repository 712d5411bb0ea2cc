import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsNotEmpty, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { NormalisedEmail } from 'src/common/validators';

export class LoginDto {
  @ApiProperty({ example: 'admin@demo.fpm.test' })
  @NormalisedEmail()
  @IsEmail({}, { message: 'Enter an e-mail address, like name@example.org' })
  @MaxLength(254)
  email: string;

  @ApiProperty()
  @IsString()
  @IsNotEmpty({ message: 'Enter your password' })
  @MaxLength(256)
  password: string;
}

export class PasswordResetRequestDto {
  @ApiProperty()
  @NormalisedEmail()
  @IsEmail({}, { message: 'Enter an e-mail address, like name@example.org' })
  @MaxLength(254)
  email: string;
}

export class SetPasswordDto {
  @ApiProperty({ description: 'The token from the link in the e-mail' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{20,100}$/, { message: 'The link is not complete: open it again from the e-mail' })
  token: string;

  @ApiProperty({ minLength: 12 })
  @IsString()
  @MinLength(12, { message: 'Password must be at least 12 characters' })
  @MaxLength(256, { message: 'Password must be at most 256 characters' })
  password: string;
}
