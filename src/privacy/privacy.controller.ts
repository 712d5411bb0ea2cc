import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentUser, Roles } from 'src/common/access.decorators';
import type { AuthUser } from 'src/common/request-context';
import { EraseUserDto } from 'src/privacy/dto/erase-user.dto';
import { ErasureService } from 'src/privacy/erasure.service';
import { PersonalDataExport, SubjectAccessService } from 'src/privacy/subject-access.service';

/**
 * Subject access: a person's own data, or an admin's copy of anyone's, as a ZIP streamed as it is made. Erasure:
 * an admin removes what need not be kept of a person's data.
 */
@ApiTags('privacy')
@Controller('api/v1')
export class PrivacyController {
  constructor(
    private readonly subjectAccess: SubjectAccessService,
    private readonly erasure: ErasureService,
  ) {}

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

  /** 409 for one's own account or a person already erased; what was done, by table, otherwise. */
  @Post('users/:id/erase')
  @HttpCode(200)
  @Roles('admin')
  erase(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: EraseUserDto) {
    return this.erasure.erase(actor, id, dto.reason);
  }
}

function sendArchive(reply: FastifyReply, { fileName, archive }: PersonalDataExport) {
  void reply
    .header('content-type', 'application/zip')
    .header('content-disposition', `attachment; filename="${fileName}"`)
    .header('cache-control', 'no-store');
  return archive;
}
