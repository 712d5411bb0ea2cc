import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from 'src/common/access.decorators';
import type { AuthUser } from 'src/common/request-context';
import { CreateMaterialDto } from 'src/materials/dto/material.dto';
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

  @Get()
  @Roles('admin', 'training_lead')
  list(@CurrentUser() actor: AuthUser) {
    return this.materials.list(actor);
  }
}
