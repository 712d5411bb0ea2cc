import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from 'src/common/access.decorators';
import type { AuthUser } from 'src/common/request-context';
import { CreateEntryDto, ReviewEntryDto, SubmitEntryDto, UpdateEntryDto } from 'src/logbooks/dto/entry.dto';
import { ScreenTextDto } from 'src/logbooks/dto/screen.dto';
import { entryView, reviewView, revisionView } from 'src/logbooks/logbook.view';
import { LogbooksService } from 'src/logbooks/logbooks.service';
import { screen } from 'src/logbooks/screener';

@ApiTags('logbook')
@Controller('api/v1')
export class LogbooksController {
  constructor(private readonly logbooks: LogbooksService) {}

  @Get('enrolments/:id/logbook')
  async logbook(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    const { entries } = await this.logbooks.logbook(actor, id);
    return { enrolmentId: id, entries: entries.map(entryView) };
  }

  /** A draft: saved as written, checked for completeness and identifiers only when submitted. */
  @Post('enrolments/:id/logbook/entries')
  async create(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: CreateEntryDto,
  ) {
    return entryView(await this.logbooks.create(actor, id, dto));
  }

  @Get('logbook/review-queue')
  @Roles('facilitator', 'training_lead', 'admin')
  async reviewQueue(@CurrentUser() actor: AuthUser) {
    return (await this.logbooks.reviewQueue(actor)).map((entry) => ({
      ...entryView(entry),
      cohortId: entry.enrolment!.cohortId,
      traineeId: entry.enrolment!.traineeId,
    }));
  }

  @Get('logbook/entries/:id')
  async entry(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    const { entry, revisions, reviews } = await this.logbooks.entry(actor, id);
    return { ...entryView(entry), revisions: revisions.map(revisionView), reviews: reviews.map(reviewView) };
  }

  @Patch('logbook/entries/:id')
  async update(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateEntryDto,
  ) {
    return entryView(await this.logbooks.update(actor, id, dto));
  }

  /** 422 with `details.findings` ({kind, text, field, start, end, advice}) when something identifies a family. */
  @Post('logbook/entries/:id/submit')
  @HttpCode(200)
  async submit(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: SubmitEntryDto,
  ) {
    return entryView(await this.logbooks.submit(actor, id, dto));
  }

  @Post('logbook/entries/:id/review')
  @HttpCode(200)
  async review(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ReviewEntryDto,
  ) {
    return entryView(await this.logbooks.review(actor, id, dto));
  }

  /**
   * What would stop the text being submitted (refusals) and what the trainee should check (warnings), so a page
   * can show each in context before submitting. Nothing is stored.
   */
  @Post('logbook/screen')
  @HttpCode(200)
  screen(@Body() dto: ScreenTextDto) {
    return { findings: screen(dto.text) };
  }
}
