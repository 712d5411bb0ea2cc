import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Redirect, Render, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentUser, Roles } from 'src/common/access.decorators';
import { answerForm } from 'src/common/form-submission';
import { setFlash, submittedValues } from 'src/common/page-context';
import type { AuthUser } from 'src/common/request-context';
import { formValue } from 'src/common/validation';
import { EraseUserDto } from 'src/privacy/dto/erase-user.dto';
import { ErasureService } from 'src/privacy/erasure.service';
import { ERASED_NAME } from 'src/users/erased-account';
import { UsersService } from 'src/users/users.service';

type FormBody = Record<string, unknown>;

/** The admin's confirmation, with the reason, before a person's data is erased. */
@ApiExcludeController()
@Controller('admin/users')
@Roles('admin')
export class ErasurePagesController {
  constructor(
    private readonly erasure: ErasureService,
    private readonly users: UsersService,
  ) {}

  @Get(':id/erase')
  @Render('privacy/erase')
  async confirm(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Req() request: FastifyRequest,
  ) {
    const user = await this.users.get(actor, id);
    const erasable = user.status !== 'erased' && user.id !== actor.id;
    return {
      title: `Erase ${user.name}’s data?`,
      user,
      erasable,
      underway: erasable ? await this.erasure.stillUnderway(actor, id) : [],
      erasedName: ERASED_NAME,
      reason: submittedValues(request).reason ?? '',
    };
  }

  @Post(':id/erase')
  @Redirect()
  async erase(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: FormBody,
    @Req() request: FastifyRequest,
  ) {
    return answerForm(
      request,
      { url: `/admin/users/${id}/erase`, values: body, fields: ['reason'] },
      async () => {
        const { name } = await this.users.get(actor, id);
        await this.erasure.erase(actor, id, (await formValue(EraseUserDto, body)).reason);
        setFlash(request, {
          kind: 'success',
          text: `${name}’s data has been erased. Their sessions have ended; what must be kept is kept without their name.`,
        });
        return `/admin/users/${id}`;
      },
    );
  }
}
