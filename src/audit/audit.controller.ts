import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AuditService } from 'src/audit/audit.service';
import { AuditQuery } from 'src/audit/dto/audit-query.dto';
import { Roles } from 'src/common/access.decorators';

@ApiTags('audit')
@Controller('api/v1/audit-events')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Roles('admin')
  list(@Query() query: AuditQuery) {
    return this.audit.list(query);
  }
}
