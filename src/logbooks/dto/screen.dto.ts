import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

/** The longest entry text screened at once: a long reflection is about 2,000 words. */
export const MAX_SCREENED_CHARACTERS = 20_000;

export class ScreenTextDto {
  @ApiProperty({
    description: 'The text to screen, as the trainee typed it',
    example: 'Mum said Ben (DOB 14/03/2019) …',
  })
  @IsString({ message: 'text must be text' })
  @MaxLength(MAX_SCREENED_CHARACTERS, {
    message: `Screen at most ${MAX_SCREENED_CHARACTERS.toLocaleString('en-GB')} characters at once`,
  })
  text: string;
}
