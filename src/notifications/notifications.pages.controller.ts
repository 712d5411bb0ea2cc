import { Controller, Get, Param, ParseUUIDPipe, Post, Query, Redirect, Render, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentUser, Roles } from 'src/common/access.decorators';
import { setFlash } from 'src/common/page-context';
import { paginationLinks } from 'src/common/pagination';
import type { AuthUser } from 'src/common/request-context';
import type { EmailStatus } from 'src/notifications/email-message.entity';
import { holdsBody } from 'src/notifications/notifications.retention';
import { NotificationsService } from 'src/notifications/notifications.service';

const STATUSES: EmailStatus[] = ['queued', 'sent', 'failed'];

@ApiExcludeController()
@Controller('admin/mail')
@Roles('admin')
export class NotificationsPagesController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @Render('notifications/index')
  async index(@Query('status') status?: string, @Query('page') page?: string) {
    const chosen = STATUSES.find((candidate) => candidate === status);
    const pageNumber = Math.max(1, Number.parseInt(page ?? '1', 10) || 1);
    const result = await this.notifications.list(chosen, pageNumber);
    return {
      title: 'E-mail',
      statuses: STATUSES.map((value) => ({ value, selected: value === chosen })),
      messages: result.messages.map((message) => ({
        ...message,
        failed: message.status === 'failed',
        retryable: message.status === 'failed' && holdsBody(message),
      })),
      total: result.total,
      pagination: paginationLinks('/admin/mail', { status: chosen }, result),
    };
  }

  @Post(':id/retry')
  @Redirect('/admin/mail?status=failed', 303)
  async retry(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Req() request: FastifyRequest,
  ) {
    await this.notifications.retry(user.id, id);
    setFlash(request, { kind: 'success', text: 'The e-mail has been queued to send again.' });
  }
}
