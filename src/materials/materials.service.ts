import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from 'src/audit/audit.service';
import { forbidden, notFound, refuse } from 'src/common/refusal';
import { sha256 } from 'src/common/sha256';
import { APP_CONFIG, AppConfig } from 'src/config/app-config';
import { EventsService } from 'src/events/events.service';
import { EditionFiles } from 'src/materials/edition-files';
import { MaterialEdition } from 'src/materials/material-edition.entity';
import { checkPdf } from 'src/materials/pdf-check';
import { AuthUser, hasRole } from 'src/common/request-context';
import type { CreateEditionDto, CreateMaterialDto } from 'src/materials/dto/material.dto';
import { Material } from 'src/materials/material.entity';

/** The catalogue of licensed materials: admins keep it; leads read it to distribute what it lists. */
@Injectable()
export class MaterialsService {
  private readonly files: EditionFiles;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly events: EventsService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.files = new EditionFiles(config.STORAGE_DIR);
  }

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

  /**
   * A new edition from an uploaded PDF, checked by its content and stored with its SHA-256; it becomes the current
   * edition, and the one before stays for those who hold it.
   */
  async addEdition(
    actor: AuthUser,
    materialId: string,
    dto: CreateEditionDto,
    file: Buffer | null,
  ): Promise<MaterialEdition> {
    if (!hasRole(actor, 'admin')) throw forbidden('Only an administrator uploads editions');
    const material = await this.dataSource.getRepository(Material).findOneBy({ id: materialId });
    if (!material) throw notFound('The material');
    if (!file || file.length === 0)
      throw refuse('UPLOAD_MISSING', 'Choose the PDF of the edition to upload', { field: 'file' });
    const check = await checkPdf(file);
    if (!check.ok) throw refuse('UPLOAD_NOT_A_USABLE_PDF', check.problem, { field: 'file' });
    const id = randomUUID();
    await this.files.store(id, file);
    try {
      return await this.dataSource.transaction(async (manager) => {
        await manager.query('SELECT id FROM materials WHERE id = $1 FOR UPDATE', [materialId]);
        if (await manager.existsBy(MaterialEdition, { materialId, label: dto.label }))
          throw refuse('EDITION_LABEL_TAKEN', `${material.code} already has an edition called ${dto.label}`, {
            field: 'label',
          });
        const previous = await manager.findOneBy(MaterialEdition, { materialId, current: true });
        if (previous) await manager.update(MaterialEdition, { id: previous.id }, { current: false });
        const edition = await manager.save(
          manager.create(MaterialEdition, {
            id,
            materialId,
            ...dto,
            sha256: sha256(file),
            sizeBytes: file.length,
            pageCount: check.pageCount,
            current: true,
            uploadedById: actor.id,
          }),
        );
        await this.audit.record(
          {
            actorId: actor.id,
            action: 'material.edition_added',
            subjectType: 'material',
            subjectId: materialId,
            details: {
              editionId: id,
              label: dto.label,
              sha256: edition.sha256,
              pageCount: edition.pageCount,
              replaces: previous?.id ?? null,
            },
          },
          manager,
        );
        await this.events.publish(manager, 'material.edition_current', {
          materialId,
          editionId: id,
          previousEditionId: previous?.id ?? null,
        });
        return edition;
      });
    } catch (error) {
      await this.files.remove(id);
      throw error;
    }
  }

  async editions(actor: AuthUser, materialId: string): Promise<MaterialEdition[]> {
    if (!hasRole(actor, 'admin', 'training_lead'))
      throw forbidden('The catalogue is for administrators and training leads');
    return this.dataSource
      .getRepository(MaterialEdition)
      .find({ where: { materialId }, order: { uploadedAt: 'DESC' } });
  }

  async list(actor: AuthUser): Promise<Material[]> {
    if (!hasRole(actor, 'admin', 'training_lead'))
      throw forbidden('The catalogue is for administrators and training leads');
    return this.dataSource.getRepository(Material).find({ order: { code: 'ASC' } });
  }

  /** A material with its editions, newest first, as its page shows them. */
  async find(actor: AuthUser, id: string): Promise<{ material: Material; editions: MaterialEdition[] }> {
    const editions = await this.editions(actor, id);
    const material = await this.dataSource.getRepository(Material).findOneBy({ id });
    if (!material) throw notFound('The material');
    return { material, editions };
  }

  /** The catalogue with each material's current edition and how many editions it has had. */
  async catalogue(actor: AuthUser): Promise<CatalogueEntry[]> {
    const materials = await this.list(actor);
    const [current, counts] = await Promise.all([
      this.dataSource.getRepository(MaterialEdition).findBy({ current: true }),
      this.dataSource.query<Array<{ materialId: string; count: number }>>(
        'SELECT material_id AS "materialId", count(*)::int AS count FROM material_editions GROUP BY material_id',
      ),
    ]);
    const currentOf = new Map(current.map((edition) => [edition.materialId, edition]));
    const countOf = new Map(counts.map((row) => [row.materialId, row.count]));
    return materials.map((material) => ({
      material,
      currentEdition: currentOf.get(material.id) ?? null,
      editionCount: countOf.get(material.id) ?? 0,
    }));
  }
}

/** One row of the catalogue page. */
export interface CatalogueEntry {
  material: Material;
  currentEdition: MaterialEdition | null;
  editionCount: number;
}
