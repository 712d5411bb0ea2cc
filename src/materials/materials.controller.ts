import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiConsumes, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { formValue } from 'src/common/validation';
import { MATERIAL_EDITION_UPLOAD } from 'src/common/uploads';
import { CurrentUser, Roles } from 'src/common/access.decorators';
import type { AuthUser } from 'src/common/request-context';
import {
  CopyHashParams,
  CreateEditionDto,
  CreateMaterialDto,
  DownloadQuery,
} from 'src/materials/dto/material.dto';
import { MaterialDownloadsService } from 'src/materials/material-downloads.service';
import { MaterialIssuesService } from 'src/materials/material-issues.service';
import { MaterialsService } from 'src/materials/materials.service';

@ApiTags('materials')
@Controller('api/v1')
export class MaterialsController {
  constructor(
    private readonly materials: MaterialsService,
    private readonly issues: MaterialIssuesService,
    private readonly downloads: MaterialDownloadsService,
  ) {}

  @Post('materials')
  @Roles('admin')
  create(@CurrentUser() actor: AuthUser, @Body() dto: CreateMaterialDto) {
    return this.materials.create(actor, dto);
  }

  /** Multipart: `label`, `notes` and the PDF as `file`, up to MATERIAL_MAX_BYTES. */
  @Post('materials/:id/editions')
  @Roles('admin')
  @RouteConfig({ upload: MATERIAL_EDITION_UPLOAD })
  @ApiConsumes('multipart/form-data')
  async addEdition(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Record<string, unknown>,
  ) {
    const dto = await formValue(CreateEditionDto, { label: body.label, notes: body.notes });
    return this.materials.addEdition(actor, id, dto, Buffer.isBuffer(body.file) ? body.file : null);
  }

  @Get('materials/:id/editions')
  @Roles('admin', 'training_lead')
  editions(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.materials.editions(actor, id);
  }

  @Get('materials')
  @Roles('admin', 'training_lead')
  list(@CurrentUser() actor: AuthUser) {
    return this.materials.list(actor);
  }

  /** What the signed-in person holds, with the edition and whether a newer one exists. */
  @Get('me/materials')
  mine(@CurrentUser() actor: AuthUser) {
    return this.issues.heldBy(actor);
  }

  /** Who holds the material and every copy they downloaded. */
  @Get('materials/:id/issues')
  @Roles('admin', 'training_lead')
  issuesOf(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.issues.issuesOf(actor, id);
  }

  /** The copy a file came from, by the SHA-256 of the file. */
  @Get('materials/copies/:hash')
  @Roles('admin')
  trace(@CurrentUser() actor: AuthUser, @Param() params: CopyHashParams) {
    return this.downloads.trace(actor, params.hash);
  }

  /**
   * A copy personalised for the holder, stamped on every page and written out as it is made; the edition's own
   * file is never sent. `edition` picks an earlier edition they hold; by default the newest licensed to them.
   */
  @Get('materials/:id/download')
  @ApiProduces('application/pdf')
  async download(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: DownloadQuery,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const copy = await this.downloads.prepare(actor, id, query.edition);
    const { stream, recorded } = await this.downloads.open(copy);
    void reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', `attachment; filename="${copy.fileName}"`)
      .header('cache-control', 'private, no-store')
      .send(stream);
    await recorded;
  }
}
