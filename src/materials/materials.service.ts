import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from 'src/audit/audit.service';
import { forbidden, refuse } from 'src/common/refusal';
import { AuthUser, hasRole } from 'src/common/request-context';
import type { CreateMaterialDto } from 'src/materials/dto/material.dto';
import { Material } from 'src/materials/material.entity';

/** The catalogue of licensed materials: admins keep it; leads read it to distribute what it lists. */
@Injectable()
export class MaterialsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async create(actor: AuthUser, dto: CreateMaterialDto): Promise<Material> {
    if (!hasRole(actor, 'admin')) throw forbidden('Only an administrator adds materials to the catalogue');
    return this.dataSource.transaction(async (manager) => {
      // Locked by code, so that two admins adding the same code at once get one material and a clear refusal.
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`material:${dto.code}`]);
      if (await manager.existsBy(Material, { code: dto.code }))
        throw refuse('MATERIAL_CODE_TAKEN', `A material with code ${dto.code} is already in the catalogue`, {
          field: 'code',
        });
      const material = await manager.save(manager.create(Material, dto));
      await this.audit.record(
        {
          actorId: actor.id,
          action: 'material.created',
          subjectType: 'material',
          subjectId: material.id,
          details: { ...dto },
        },
        manager,
      );
      return material;
    });
  }

  async list(actor: AuthUser): Promise<Material[]> {
    if (!hasRole(actor, 'admin', 'training_lead'))
      throw forbidden('The catalogue is for administrators and training leads');
    return this.dataSource.getRepository(Material).find({ order: { code: 'ASC' } });
  }
}
