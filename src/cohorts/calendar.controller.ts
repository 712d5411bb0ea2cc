import { Controller, Get, Header, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentUser, Public } from 'src/common/access.decorators';
import { RateLimited } from 'src/common/rate-limits';
import { notFound } from 'src/common/refusal';
import type { AuthUser } from 'src/common/request-context';
import { CalendarService } from 'src/cohorts/calendar.service';

const ICS = 'text/calendar; charset=utf-8';

@ApiTags('calendars')
@Controller()
export class CalendarController {
  constructor(private readonly calendars: CalendarService) {}

  @Get('api/v1/cohorts/:id/calendar.ics')
  async cohort(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { filename, body } = await this.calendars.forCohort(actor, id);
    void reply.header('content-type', ICS).header('content-disposition', `inline; filename="${filename}"`);
    return body;
  }

  @Get('api/v1/me/calendar')
  async myFeed(@CurrentUser() actor: AuthUser) {
    return { url: await this.calendars.feedUrl(actor) };
  }

  @Post('api/v1/me/calendar/reset')
  async resetFeed(@CurrentUser() actor: AuthUser) {
    return { url: this.calendars.urlFor(await this.calendars.resetFeed(actor)) };
  }

  /** The personal subscription address: the secret token is the only credential calendar apps can send. */
  @Get('calendar/:file')
  @Public()
  @RateLimited('calendarFeed')
  @Header('cache-control', 'private, max-age=300')
  async feed(@Param('file') file: string, @Res({ passthrough: true }) reply: FastifyReply) {
    if (!file.endsWith('.ics')) throw notFound('The calendar');
    void reply.header('content-type', ICS);
    return this.calendars.forFeed(file.slice(0, -'.ics'.length));
  }
}
