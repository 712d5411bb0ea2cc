import {
  Body,
  Controller,
  Get,
  Inject,
  Param,
  ParseUUIDPipe,
  Post,
  Redirect,
  Render,
  Req,
} from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentUser, Roles } from 'src/common/access.decorators';
import { fileSize } from 'src/common/file-size';
import { formList } from 'src/common/form-options';
import { answerForm } from 'src/common/form-submission';
import { setFlash, submittedValues } from 'src/common/page-context';
import { AuthUser, hasRole } from 'src/common/request-context';
import { MATERIAL_EDITION_UPLOAD, UploadRouteConfig } from 'src/common/uploads';
import { formValue } from 'src/common/validation';
import { APP_CONFIG, AppConfig } from 'src/config/app-config';
import { CreateEditionDto, CreateMaterialDto } from 'src/materials/dto/material.dto';
import {
  catalogueRowsView,
  editionAddedText,
  materialFormOptions,
  materialPageView,
} from 'src/materials/materials.presenter';
import { MaterialsService } from 'src/materials/materials.service';
import { UsersService } from 'src/users/users.service';

type FormBody = Record<string, unknown>;

const MATERIAL_FIELDS = ['code', 'title', 'kind', 'courseCodes', 'audience'];
const EDITION_FIELDS = ['label', 'notes', 'file'];

/** The catalogue of manuals and handbooks: leads read it; admins add materials and upload their editions. */
@ApiExcludeController()
@Controller('materials')
@Roles('admin', 'training_lead')
export class MaterialsPagesController {
  constructor(
    private readonly materials: MaterialsService,
    private readonly users: UsersService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Render('materials/catalogue')
  async catalogue(@CurrentUser() actor: AuthUser, @Req() request: FastifyRequest) {
    return {
      title: 'Manuals and handbooks',
      rows: catalogueRowsView(await this.materials.catalogue(actor)),
      canAdd: hasRole(actor, 'admin'),
      ...materialFormOptions(submittedValues(request)),
    };
  }

  @Post()
  @Roles('admin')
  @Redirect()
  async create(@CurrentUser() actor: AuthUser, @Body() body: FormBody, @Req() request: FastifyRequest) {
    // Checkbox groups post a hidden empty value, and one ticked box arrives as text rather than a list.
    const values = { ...body, courseCodes: formList(body.courseCodes), audience: formList(body.audience) };
    return answerForm(request, { url: '/materials', values, fields: MATERIAL_FIELDS }, async () => {
      const material = await this.materials.create(actor, await formValue(CreateMaterialDto, values));
      setFlash(request, {
        kind: 'success',
        text: `${material.code}, ${material.title}, has been added to the catalogue. Upload its first edition below.`,
      });
      return `/materials/${material.id}`;
    });
  }

  @Get(':id')
  @Render('materials/material')
  async material(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    const { material, editions } = await this.materials.find(actor, id);
    const uploaders = await this.users.contacts(editions.map((edition) => edition.uploadedById));
    return {
      title: `${material.code}: ${material.title}`,
      material: materialPageView(material, editions, uploaders),
      canUpload: hasRole(actor, 'admin'),
      maxFileSize: fileSize(this.config.MATERIAL_MAX_BYTES),
    };
  }

  /** Multipart, from the material's page: `label`, `notes` and the PDF as `file`, up to MATERIAL_MAX_BYTES. */
  @Post(':id/editions')
  @Roles('admin')
  @RouteConfig({ upload: MATERIAL_EDITION_UPLOAD, form: '/materials/:id' } satisfies UploadRouteConfig)
  @Redirect()
  async addEdition(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: FormBody,
    @Req() request: FastifyRequest,
  ) {
    const url = `/materials/${id}`;
    const values = { label: body.label, notes: body.notes };
    return answerForm(request, { url, values, fields: EDITION_FIELDS }, async () => {
      const file = Buffer.isBuffer(body.file) ? body.file : null;
      const edition = await this.materials.addEdition(
        actor,
        id,
        await formValue(CreateEditionDto, values),
        file,
      );
      const { material } = await this.materials.find(actor, id);
      setFlash(request, { kind: 'success', text: editionAddedText(edition, material) });
      return url;
    });
  }
}
