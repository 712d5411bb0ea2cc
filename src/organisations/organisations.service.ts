import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { AuditService } from 'src/audit/audit.service';
import { forbidden, notFound, refuse } from 'src/common/refusal';
import { AuthUser, hasRole } from 'src/common/request-context';
import { Area } from 'src/organisations/area.entity';
import { CommissionerArea } from 'src/organisations/commissioner-area.entity';
import type {
  CreateAreaDto,
  CreateOrganisationDto,
  UpdateAreaDto,
  UpdateOrganisationDto,
  WorkforceBaselineDto,
} from 'src/organisations/dto/organisation.dto';
import { Organisation } from 'src/organisations/organisation.entity';
import { WorkforceBaseline } from 'src/organisations/workforce-baseline.entity';

@Injectable()
export class OrganisationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  private get areas() {
    return this.dataSource.getRepository(Area);
  }

  private get organisations() {
    return this.dataSource.getRepository(Organisation);
  }

  /** Commissioners see only the areas they cover; admins and training leads see all. */
  async listAreas(viewer: AuthUser): Promise<Area[]> {
    if (hasRole(viewer, 'admin', 'training_lead')) return this.areas.find({ order: { name: 'ASC' } });
    if (!hasRole(viewer, 'commissioner')) throw forbidden();
    return this.areasByIds(await this.commissionedAreaIds(viewer.id));
  }

  async commissionedAreaIds(userId: string): Promise<string[]> {
    const links = await this.dataSource.getRepository(CommissionerArea).findBy({ userId });
    return links.map((link) => link.areaId);
  }

  async commissionedAreaIdsByUser(userIds: string[]): Promise<Map<string, string[]>> {
    const map = new Map<string, string[]>();
    if (userIds.length === 0) return map;
    const links = await this.dataSource.getRepository(CommissionerArea).findBy({ userId: In(userIds) });
    for (const link of links) map.set(link.userId, [...(map.get(link.userId) ?? []), link.areaId]);
    return map;
  }

  /** Replaces the areas a commissioner covers, inside the caller's transaction. */
  async setCommissionedAreas(userId: string, areaIds: string[], manager: EntityManager): Promise<void> {
    const unique = [...new Set(areaIds)];
    const found = await manager.countBy(Area, { id: In(unique) });
    if (found !== unique.length)
      throw refuse('AREA_UNKNOWN', 'An area given does not exist', { field: 'areaIds' });
    await manager.delete(CommissionerArea, { userId });
    if (unique.length > 0)
      await manager.insert(
        CommissionerArea,
        unique.map((areaId) => ({ userId, areaId })),
      );
  }

  async getArea(id: string): Promise<Area> {
    const area = await this.areas.findOneBy({ id });
    if (!area) throw notFound('The area');
    return area;
  }

  async areasByIds(ids: string[]): Promise<Area[]> {
    return ids.length === 0 ? [] : this.areas.find({ where: { id: In(ids) }, order: { name: 'ASC' } });
  }

  async createArea(actor: AuthUser, dto: CreateAreaDto): Promise<Area> {
    await this.assertAreaCodeFree(dto.code);
    return this.dataSource.transaction(async (manager) => {
      const area = await manager.save(manager.create(Area, dto));
      await this.audit.record(
        {
          actorId: actor.id,
          action: 'area.created',
          subjectType: 'area',
          subjectId: area.id,
          details: { ...dto },
        },
        manager,
      );
      return area;
    });
  }

  async updateArea(actor: AuthUser, id: string, dto: UpdateAreaDto): Promise<Area> {
    const area = await this.getArea(id);
    if (dto.code && dto.code !== area.code) await this.assertAreaCodeFree(dto.code);
    return this.dataSource.transaction(async (manager) => {
      const saved = await manager.save(Area, { ...area, ...dto });
      await this.audit.record(
        {
          actorId: actor.id,
          action: 'area.updated',
          subjectType: 'area',
          subjectId: id,
          details: { ...dto },
        },
        manager,
      );
      return saved;
    });
  }

  async baselines(areaId: string): Promise<WorkforceBaseline[]> {
    await this.getArea(areaId);
    return this.dataSource
      .getRepository(WorkforceBaseline)
      .find({ where: { areaId }, order: { profession: 'ASC' } });
  }

  /** Replaces an area's whole set of baselines: professions not listed are removed. */
  async replaceBaselines(
    actor: AuthUser,
    areaId: string,
    rows: WorkforceBaselineDto[],
  ): Promise<WorkforceBaseline[]> {
    await this.getArea(areaId);
    const seen = new Set<string>();
    for (const row of rows) {
      if (seen.has(row.profession)) {
        throw refuse('PROFESSION_LISTED_TWICE', `${row.profession} is listed more than once`);
      }
      seen.add(row.profession);
    }
    await this.dataSource.transaction(async (manager) => {
      await manager.delete(WorkforceBaseline, { areaId });
      if (rows.length > 0) {
        await manager.insert(
          WorkforceBaseline,
          rows.map((row) => ({ areaId, profession: row.profession, headcount: row.headcount })),
        );
      }
      await this.audit.record(
        {
          actorId: actor.id,
          action: 'area.workforce_baselines_replaced',
          subjectType: 'area',
          subjectId: areaId,
          details: {
            baselines: rows.map((row) => ({ profession: row.profession, headcount: row.headcount })),
          },
        },
        manager,
      );
    });
    return this.baselines(areaId);
  }

  async listOrganisations(areaId?: string): Promise<Organisation[]> {
    return this.organisations.find({
      where: areaId ? { areaId } : {},
      relations: { area: true },
      order: { name: 'ASC' },
    });
  }

  async getOrganisation(id: string): Promise<Organisation> {
    const organisation = await this.organisations.findOne({ where: { id }, relations: { area: true } });
    if (!organisation) throw notFound('The organisation');
    return organisation;
  }

  async createOrganisation(actor: AuthUser, dto: CreateOrganisationDto): Promise<Organisation> {
    await this.getArea(dto.areaId);
    await this.assertOrganisationNameFree(dto.areaId, dto.name);
    const id = await this.dataSource.transaction(async (manager) => {
      const organisation = await manager.save(manager.create(Organisation, dto));
      await this.audit.record(
        {
          actorId: actor.id,
          action: 'organisation.created',
          subjectType: 'organisation',
          subjectId: organisation.id,
          details: { ...dto },
        },
        manager,
      );
      return organisation.id;
    });
    return this.getOrganisation(id);
  }

  async updateOrganisation(actor: AuthUser, id: string, dto: UpdateOrganisationDto): Promise<Organisation> {
    const organisation = await this.getOrganisation(id);
    const areaId = dto.areaId ?? organisation.areaId;
    if (dto.areaId) await this.getArea(dto.areaId);
    const name = dto.name ?? organisation.name;
    if (name !== organisation.name || areaId !== organisation.areaId) {
      await this.assertOrganisationNameFree(areaId, name);
    }
    await this.dataSource.transaction(async (manager) => {
      await manager.update(Organisation, { id }, { ...dto });
      await this.audit.record(
        {
          actorId: actor.id,
          action: 'organisation.updated',
          subjectType: 'organisation',
          subjectId: id,
          details: { ...dto },
        },
        manager,
      );
    });
    return this.getOrganisation(id);
  }

  private async assertAreaCodeFree(code: string): Promise<void> {
    if (await this.areas.existsBy({ code }))
      throw refuse('AREA_CODE_TAKEN', `An area with ONS code ${code} already exists`, { field: 'code' });
  }

  private async assertOrganisationNameFree(areaId: string, name: string): Promise<void> {
    if (await this.organisations.existsBy({ areaId, name })) {
      throw refuse('ORGANISATION_NAME_TAKEN', `An organisation called ${name} already exists in this area`, {
        field: 'name',
      });
    }
  }
}
