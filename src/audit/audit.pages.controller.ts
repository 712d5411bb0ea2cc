import { Controller, Get, Query, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { AuditService } from 'src/audit/audit.service';
import { AuditQuery } from 'src/audit/dto/audit-query.dto';
import { Roles } from 'src/common/access.decorators';
import { paginationLinks } from 'src/common/pagination';

@ApiExcludeController()
@Controller('admin/audit')
export class AuditPagesController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Roles('admin')
  @Render('audit/index')
  async index(@Query() query: AuditQuery) {
    const [result, actions] = await Promise.all([this.audit.list(query), this.audit.actions()]);
    return {
      title: 'Audit log',
      filters: query,
      actions: actions.map((action) => ({ value: action, selected: action === query.action })),
      events: result.events.map((event) => ({ ...event, detailsJson: JSON.stringify(event.details) })),
      total: result.total,
      pagination: paginationLinks('/admin/audit', query, result),
    };
  }
}
