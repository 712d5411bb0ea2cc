import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from 'src/audit/audit.service';
import { EventsService } from 'src/events/events.service';
import { forbidden, notFound, refuse } from 'src/common/refusal';
import { AuthUser, hasRole } from 'src/common/request-context';
import { CohortsService } from 'src/cohorts/cohorts.service';
import { COURSE_NAMES, CourseCode } from 'src/courses/course-code';
import type {
  CreatePrintOrderDto,
  PrintOrderFilter,
  UpdatePrintOrderDto,
} from 'src/materials/dto/print-order.dto';
import { MaterialEdition } from 'src/materials/material-edition.entity';
import { Material } from 'src/materials/material.entity';
import {
  PRINT_ORDER_NEXT,
  PRINT_ORDER_STATUSES,
  PrintOrder,
  PrintOrderChange,
  PrintOrderStatus,
} from 'src/materials/print-order.entity';

/** An order as the pages and the API show it, with the names of what it refers to. */
export interface PrintOrderRow {
  id: string;
  status: PrintOrderStatus;
  copies: number;
  trackingRef: string | null;
  organisationId: string;
  cohortId: string;
  cohortTitle: string;
  materialId: string;
  materialCode: string;
  materialTitle: string;
  editionId: string;
  editionLabel: string;
  requestedById: string;
  requestedAt: Date;
  dispatchedById: string | null;
  dispatchedAt: Date | null;
  receivedById: string | null;
  receivedAt: Date | null;
  cancelledById: string | null;
  cancelledAt: Date | null;
}

/** What a lead sees: how many of the cohort's trainees have said their copy reached them. */
export interface LeadPrintOrderRow extends PrintOrderRow {
  trainees: number;
  confirmed: number;
}

/** What a trainee sees: an order sent to their cohort, and when they said their copy arrived. */
export interface TraineePrintOrderRow extends PrintOrderRow {
  confirmedAt: Date | null;
}

export interface OrderableMaterials {
  materials: Array<{ id: string; code: string; title: string; editionLabel: string }>;
  /** Materials of the course that cannot be ordered until an edition is uploaded. */
  withoutEdition: string[];
}

// Trainees who hold a place: those an order's copies are for, and those who may confirm one reached them.
const HOLDS_A_PLACE = `en.status IN ('enrolled', 'completed')`;

const ORDER_ROWS = `
  SELECT o.id, o.status, o.copies, o.tracking_ref AS "trackingRef", o.organisation_id AS "organisationId",
         o.cohort_id AS "cohortId", c.title AS "cohortTitle",
         o.material_id AS "materialId", m.code AS "materialCode", m.title AS "materialTitle",
         o.edition_id AS "editionId", e.label AS "editionLabel",
         o.requested_by_id AS "requestedById", o.requested_at AS "requestedAt",
         o.dispatched_by_id AS "dispatchedById", o.dispatched_at AS "dispatchedAt",
         o.received_by_id AS "receivedById", o.received_at AS "receivedAt",
         o.cancelled_by_id AS "cancelledById", o.cancelled_at AS "cancelledAt"`;

const ORDER_JOINS = `
    FROM print_orders o
    JOIN cohorts c ON c.id = o.cohort_id
    JOIN materials m ON m.id = o.material_id
    JOIN material_editions e ON e.id = o.edition_id`;

const LEAD_ROWS = `${ORDER_ROWS},
         (SELECT count(*)::int FROM enrolments en WHERE en.cohort_id = o.cohort_id AND ${HOLDS_A_PLACE}) AS trainees,
         (SELECT count(*)::int FROM print_order_receipts r
            JOIN enrolments en ON en.cohort_id = o.cohort_id AND en.trainee_id = r.trainee_id AND ${HOLDS_A_PLACE}
           WHERE r.order_id = o.id) AS confirmed
  ${ORDER_JOINS}`;

/** Orders a trainee's copy may have come in: sent to a cohort they hold a place on. */
const TRAINEE_ROWS = `${ORDER_ROWS}, r.confirmed_at AS "confirmedAt"
  ${ORDER_JOINS}
    JOIN enrolments en ON en.cohort_id = o.cohort_id AND en.trainee_id = $1 AND ${HOLDS_A_PLACE}
    LEFT JOIN print_order_receipts r ON r.order_id = o.id AND r.trainee_id = $1
   WHERE o.status IN ('dispatched', 'received')`;

const OUTSTANDING: PrintOrderStatus[] = ['requested', 'dispatched'];

const statusesOf = (filter: PrintOrderFilter | undefined): readonly PrintOrderStatus[] =>
  filter === 'outstanding' ? OUTSTANDING : filter ? [filter] : PRINT_ORDER_STATUSES;

const isChangeFrom = (from: PrintOrderStatus, to: PrintOrderStatus): to is PrintOrderChange =>
  (PRINT_ORDER_NEXT[from] as readonly PrintOrderStatus[]).includes(to);

function refusedChange(from: PrintOrderStatus, to: PrintOrderStatus) {
  const next = PRINT_ORDER_NEXT[from];
  const can = next.length ? `it can only become ${next.join(' or ')}` : 'it cannot change any more';
  const why =
    from === 'dispatched' && to === 'cancelled'
      ? ' A dispatched parcel cannot be cancelled: its copies have been printed and sent. Mark it received when it arrives.'
      : '';
  return refuse('PRINT_ORDER_STATUS_REFUSED', `This order is ${from}: ${can}.${why}`, {
    field: 'status',
    details: { status: from, canBecome: next },
  });
}

/** The columns a change sets: the new status, when and by whom, and the parcel's reference when it is sent. */
function changeOf(to: PrintOrderChange, actorId: string, trackingRef: string | undefined) {
  const at = new Date();
  switch (to) {
    case 'dispatched':
      return { status: to, dispatchedAt: at, dispatchedById: actorId, trackingRef: trackingRef ?? null };
    case 'received':
      return { status: to, receivedAt: at, receivedById: actorId };
    case 'cancelled':
      return { status: to, cancelledAt: at, cancelledById: actorId };
  }
}

/**
 * Printed copies of a material for a cohort: a training lead of the cohort's organisation (or an admin) orders and
 * follows them; the cohort's trainees say when their copy has reached them.
 */
@Injectable()
export class PrintOrdersService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cohorts: CohortsService,
    private readonly audit: AuditService,
    private readonly events: EventsService,
  ) {}

  /** Copies not yet sent to a cohort that is cancelled are not wanted: their orders are cancelled with it. */
  onModuleInit(): void {
    this.events.on('cohort.status_changed', 'materials.cancel-print-orders', async (changed, { manager }) => {
      if (changed.to !== 'cancelled') return;
      const cancelled: Array<{ id: string }> = await manager
        .query(
          `UPDATE print_orders SET status = 'cancelled', cancelled_at = now()
            WHERE cohort_id = $1 AND status = 'requested' RETURNING id`,
          [changed.cohortId],
        )
        .then((result: [Array<{ id: string }>, number]) => result[0]);
      for (const order of cancelled)
        await this.audit.record(
          {
            actorId: null,
            action: 'print_order.cancelled',
            subjectType: 'print_order',
            subjectId: order.id,
            details: { from: 'requested', to: 'cancelled', because: 'cohort cancelled' },
          },
          manager,
        );
    });
  }

  /** An order of the material's current edition; 422 for a material not of the cohort's course or without one. */
  async create(actor: AuthUser, cohortId: string, dto: CreatePrintOrderDto): Promise<LeadPrintOrderRow> {
    await this.cohorts.assertCanManage(actor, cohortId);
    const id = await this.dataSource.transaction(async (manager) => {
      // Under the cohort's lock, so that an order and the cohort's cancellation are decided one after the other.
      const cohort = await this.cohorts.lockCohort(manager, cohortId);
      if (cohort.status === 'cancelled')
        throw refuse('COHORT_CANCELLED', 'This cohort has been cancelled: no copies can be ordered for it');
      const courseCode = cohort.courseVersion!.courseCode;
      const material = await manager.findOneBy(Material, { id: dto.materialId });
      if (!material)
        throw refuse('MATERIAL_UNKNOWN', 'Choose a material from the catalogue', { field: 'materialId' });
      if (!material.courseCodes.includes(courseCode))
        throw refuse(
          'MATERIAL_NOT_FOR_COURSE',
          `${material.title} is not a material of the ${COURSE_NAMES[courseCode]} course: choose one of its materials`,
          { field: 'materialId' },
        );
      const edition = await manager.findOneBy(MaterialEdition, { materialId: material.id, current: true });
      if (!edition)
        throw refuse(
          'MATERIAL_HAS_NO_EDITION',
          `${material.title} has no edition yet: copies can be ordered once an administrator uploads one`,
          { field: 'materialId' },
        );
      const order = await manager.save(
        manager.create(PrintOrder, {
          materialId: material.id,
          editionId: edition.id,
          cohortId,
          organisationId: cohort.organisationId,
          copies: dto.copies,
          requestedById: actor.id,
        }),
      );
      await this.audit.record(
        {
          actorId: actor.id,
          action: 'print_order.requested',
          subjectType: 'print_order',
          subjectId: order.id,
          details: {
            cohortId,
            organisationId: cohort.organisationId,
            materialId: material.id,
            editionId: edition.id,
            copies: dto.copies,
          },
        },
        manager,
      );
      return order.id;
    });
    return this.leadRow(id);
  }

  /** Moves an order on; the row is locked, so that of two leads acting at once the second sees what the first did. */
  /** Refuses anyone but the admins and the training leads of the order's cohort. */
  async assertMayChange(actor: AuthUser, id: string): Promise<void> {
    const found = await this.dataSource.getRepository(PrintOrder).findOneBy({ id });
    if (!found) throw notFound('The print order');
    await this.cohorts.assertCanManage(actor, found.cohortId);
  }

  async change(actor: AuthUser, id: string, dto: UpdatePrintOrderDto): Promise<LeadPrintOrderRow> {
    await this.assertMayChange(actor, id);
    await this.dataSource.transaction(async (manager) => {
      const order = await manager.findOneOrFail(PrintOrder, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!isChangeFrom(order.status, dto.status)) throw refusedChange(order.status, dto.status);
      await manager.update(PrintOrder, { id }, changeOf(dto.status, actor.id, dto.trackingRef));
      await this.audit.record(
        {
          actorId: actor.id,
          action: `print_order.${dto.status}`,
          subjectType: 'print_order',
          subjectId: id,
          details: {
            from: order.status,
            to: dto.status,
            ...(dto.status === 'dispatched' ? { trackingRef: dto.trackingRef } : {}),
          },
        },
        manager,
      );
    });
    return this.leadRow(id);
  }

  /** The orders a lead follows: their organisation's (an admin: every one), newest first. */
  async list(actor: AuthUser, filter?: PrintOrderFilter): Promise<LeadPrintOrderRow[]> {
    if (!hasRole(actor, 'admin', 'training_lead'))
      throw forbidden('Print orders are for administrators and training leads');
    const everyOrganisation = hasRole(actor, 'admin');
    if (!everyOrganisation && !actor.organisationId) return [];
    return this.dataSource.query(
      `${LEAD_ROWS} WHERE o.status = ANY($1) AND ($2::uuid IS NULL OR o.organisation_id = $2)
        ORDER BY o.requested_at DESC, o.id LIMIT 500`,
      [statusesOf(filter), everyOrganisation ? null : actor.organisationId],
    );
  }

  async forCohort(actor: AuthUser, cohortId: string): Promise<LeadPrintOrderRow[]> {
    await this.cohorts.assertCanManage(actor, cohortId);
    return this.dataSource.query(`${LEAD_ROWS} WHERE o.cohort_id = $1 ORDER BY o.requested_at DESC, o.id`, [
      cohortId,
    ]);
  }

  /**
   * A trainee's word that their copy arrived, from a dispatched or received order of a cohort they hold a place
   * on. Saying it again changes nothing: the first time is kept.
   */
  async confirmReceipt(
    actor: AuthUser,
    id: string,
  ): Promise<{ order: TraineePrintOrderRow; alreadyConfirmed: boolean }> {
    const order = await this.dataSource.getRepository(PrintOrder).findOneBy({ id });
    if (!order) throw notFound('The print order');
    const [{ holds }] = await this.dataSource.query<Array<{ holds: boolean }>>(
      `SELECT EXISTS (SELECT 1 FROM enrolments en WHERE en.cohort_id = $1 AND en.trainee_id = $2 AND ${HOLDS_A_PLACE}) AS holds`,
      [order.cohortId, actor.id],
    );
    if (!holds)
      throw forbidden('Only trainees with a place on the cohort confirm receiving its printed copies');
    if (order.status === 'requested')
      throw refuse(
        'PRINT_ORDER_NOT_DISPATCHED',
        'These copies have not been sent yet: confirm when yours reaches you',
      );
    if (order.status === 'cancelled')
      throw refuse('PRINT_ORDER_NOT_DISPATCHED', 'This order was cancelled: no copies were sent');
    const alreadyConfirmed = await this.dataSource.transaction(async (manager) => {
      const inserted: unknown[] = await manager.query(
        `INSERT INTO print_order_receipts (order_id, trainee_id) VALUES ($1, $2)
         ON CONFLICT (order_id, trainee_id) DO NOTHING RETURNING order_id`,
        [id, actor.id],
      );
      if (inserted.length === 0) return true;
      await this.audit.record(
        {
          actorId: actor.id,
          action: 'print_order.receipt_confirmed',
          subjectType: 'print_order',
          subjectId: id,
          details: { cohortId: order.cohortId, materialId: order.materialId, editionId: order.editionId },
        },
        manager,
      );
      return false;
    });
    const [row] = await this.traineeRows(actor.id, 'AND o.id = $2', [id]);
    return { order: row, alreadyConfirmed };
  }

  /** The dispatched and received orders of the trainee's cohorts, newest first, each with their confirmation. */
  forTrainee(actor: AuthUser): Promise<TraineePrintOrderRow[]> {
    return this.traineeRows(actor.id, '', []);
  }

  /** The catalogue's materials of a course, split into those that can be ordered (with an edition) and the rest. */
  async orderableMaterials(courseCode: CourseCode): Promise<OrderableMaterials> {
    const rows: Array<{ id: string; code: string; title: string; editionLabel: string | null }> =
      await this.dataSource.query(
        `SELECT m.id, m.code, m.title, e.label AS "editionLabel"
           FROM materials m LEFT JOIN material_editions e ON e.material_id = m.id AND e.current
          WHERE $1 = ANY(m.course_codes) ORDER BY m.title, m.code`,
        [courseCode],
      );
    return {
      materials: rows.flatMap(({ editionLabel, ...material }) =>
        editionLabel === null ? [] : [{ ...material, editionLabel }],
      ),
      withoutEdition: rows.filter((row) => row.editionLabel === null).map((row) => row.title),
    };
  }

  private async leadRow(id: string): Promise<LeadPrintOrderRow> {
    const [row] = await this.dataSource.query<LeadPrintOrderRow[]>(`${LEAD_ROWS} WHERE o.id = $1`, [id]);
    return row;
  }

  private traineeRows(traineeId: string, where: string, params: unknown[]): Promise<TraineePrintOrderRow[]> {
    return this.dataSource.query(`${TRAINEE_ROWS} ${where} ORDER BY o.dispatched_at DESC, o.id`, [
      traineeId,
      ...params,
    ]);
  }
}
