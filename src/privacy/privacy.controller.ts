import { Controller, Get, Param, ParseUUIDPipe, Res } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentUser, Roles } from 'src/common/access.decorators';
import type { AuthUser } from 'src/common/request-context';
import { PersonalDataExport, SubjectAccessService } from 'src/privacy/subject-access.service';

/** Subject access: a person's own data, or an admin's copy of anyone's, as a ZIP streamed as it is made. */
@ApiTags('privacy')
@Controller('api/v1')
export class PrivacyController {
  constructor(private readonly subjectAccess: SubjectAccessService) {}

  @Get('me/export')
  @ApiProduces('application/zip')
  async mine(@CurrentUser() actor: AuthUser, @Res({ passthrough: true }) reply: FastifyReply) {
    return sendArchive(reply, await this.subjectAccess.exportOwn(actor));
  }

  @Get('users/:id/export')
  @Roles('admin')
  @ApiProduces('application/zip')
  async forUser(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return sendArchive(reply, await this.subjectAccess.exportFor(actor, id));
  }
}

function sendArchive(reply: FastifyReply, { fileName, archive }: PersonalDataExport) {
  void reply
    .header('content-type', 'application/zip')
    .header('content-disposition', `attachment; filename="${fileName}"`)
    .header('cache-control', 'no-store');
  return archive;
}
