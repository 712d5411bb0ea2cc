import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from 'src/common/access.decorators';
import { ParseArrayBodyPipe } from 'src/common/parse-array-body.pipe';
import type { AuthUser } from 'src/common/request-context';
import { RetentionPolicyDto } from 'src/privacy/dto/retention-policy.dto';
import { RetentionService } from 'src/privacy/retention.service';

/** How long each record type is kept, and what the next retention run would remove. */
@ApiTags('privacy')
@Controller('api/v1/retention-policies')
@Roles('admin')
export class RetentionController {
  constructor(private readonly retention: RetentionService) {}

  @Get()
  policies(@CurrentUser() actor: AuthUser) {
    return this.retention.policies(actor);
  }

  @Put()
  @ApiBody({ type: [RetentionPolicyDto] })
  update(
    @CurrentUser() actor: AuthUser,
    @Body(new ParseArrayBodyPipe(RetentionPolicyDto, 100)) changes: RetentionPolicyDto[],
  ) {
    return this.retention.update(actor, changes);
  }

  @Get('dry-run')
  dryRun(@CurrentUser() actor: AuthUser) {
    return this.retention.dryRun(actor);
  }
}
