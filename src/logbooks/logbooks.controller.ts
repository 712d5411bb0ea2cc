import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ScreenTextDto } from 'src/logbooks/dto/screen.dto';
import { screen } from 'src/logbooks/screener';

@ApiTags('logbook')
@Controller('api/v1/logbook')
export class LogbooksController {
  /**
   * What would stop the text being submitted (refusals) and what the trainee should check (warnings), so a page
   * can show each in context before submitting. Nothing is stored.
   */
  @Post('screen')
  @HttpCode(200)
  screen(@Body() dto: ScreenTextDto) {
    return { findings: screen(dto.text) };
  }
}
