import { Body, Controller, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiConsumes, ApiTags } from '@nestjs/swagger';
import { formValue } from 'src/common/validation';
import { MATERIAL_EDITION_UPLOAD } from 'src/common/uploads';
import { CurrentUser, Roles } from 'src/common/access.decorators';
import type { AuthUser } from 'src/common/request-context';
import { CreateEditionDto, CreateMaterialDto } from 'src/materials/dto/material.dto';
import { MaterialsService } from 'src/materials/materials.service';

@ApiTags('materials')
@Controller('api/v1/materials')
export class MaterialsController {
  constructor(private readonly materials: MaterialsService) {}

  @Post()
  @Roles('admin')
  create(@CurrentUser() actor: AuthUser, @Body() dto: CreateMaterialDto) {
    return this.materials.create(actor, dto);
  }

  /** Multipart: `label`, `notes` and the PDF as `file`, up to MATERIAL_MAX_BYTES. */
  @Post(':id/editions')
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

  @Get(':id/editions')
  @Roles('admin', 'training_lead')
  editions(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.materials.editions(actor, id);
  }

  @Get()
  @Roles('admin', 'training_lead')
  list(@CurrentUser() actor: AuthUser) {
    return this.materials.list(actor);
  }
}
