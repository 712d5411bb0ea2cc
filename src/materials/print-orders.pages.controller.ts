import {
  Body,
  Controller,
  Get,
  Inject,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Redirect,
  Render,
  Req,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentUser, Roles } from 'src/common/access.decorators';
import { options } from 'src/common/form-options';
import { answerForm } from 'src/common/form-submission';
import { setFlash, submittedValues } from 'src/common/page-context';
import type { AuthUser } from 'src/common/request-context';
import { sameSitePath } from 'src/common/same-site-path';
import { formValue } from 'src/common/validation';
import { APP_CONFIG, AppConfig } from 'src/config/app-config';
import { cohortAccess } from 'src/cohorts/cohort-access';
import { CohortsService } from 'src/cohorts/cohorts.service';
import { COURSE_NAMES } from 'src/courses/course-code';
import { CreatePrintOrderDto, UpdatePrintOrderDto } from 'src/materials/dto/print-order.dto';
import { MAX_PRINTED_COPIES, PrintOrderStatus } from 'src/materials/print-order.entity';
import { filterOptions, pageFilter, printOrderRowsView } from 'src/materials/print-orders.presenter';
import { PrintOrderRow, PrintOrdersService } from 'src/materials/print-orders.service';

type FormBody = Record<string, unknown>;

const copiesOf = (order: PrintOrderRow) =>
  `${order.copies} ${order.copies === 1 ? 'copy' : 'copies'} of ${order.materialTitle} for ${order.cohortTitle}`;

const CHANGED: Record<PrintOrderStatus, (order: PrintOrderRow) => string> = {
  requested: (order) => `${copiesOf(order)} have been requested.`,
  dispatched: (order) => `${copiesOf(order)}: marked dispatched, tracking reference ${order.trackingRef}.`,
  received: (order) => `${copiesOf(order)}: marked received.`,
  cancelled: (order) => `${copiesOf(order)}: the order has been cancelled.`,
};

/**
 * Printed copies as training leads order and follow them (the outstanding list, a cohort's orders), and the form a
 * trainee confirms their own copy with, from whichever page shows it.
 */
@ApiExcludeController()
@Controller()
export class PrintOrdersPagesController {
  constructor(
    private readonly printOrders: PrintOrdersService,
    private readonly cohorts: CohortsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('print-orders')
  @Roles('admin', 'training_lead')
  @Render('materials/print-orders')
  async list(@CurrentUser() actor: AuthUser, @Query('status') status: unknown) {
    const filter = pageFilter(status);
    const [rows, cohorts] = await Promise.all([
      this.printOrders.list(actor, filter),
      this.cohorts.list(actor, {}),
    ]);
    return {
      title: 'Printed copies',
      filterOptions: filterOptions(filter),
      filter,
      rows: printOrderRowsView(rows),
      returnTo: `/print-orders?status=${filter}`,
      orderFor: cohorts
        .filter((cohort) => cohortAccess(actor, cohort, [], false).manage)
        .filter((cohort) => cohort.status !== 'completed' && cohort.status !== 'cancelled')
        .map((cohort) => ({ id: cohort.id, title: cohort.title })),
    };
  }

  @Get('cohorts/:id/print-orders')
  @Roles('admin', 'training_lead')
  @Render('materials/print-orders')
  async forCohort(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Req() request: FastifyRequest,
  ) {
    const { cohort, counts } = await this.cohorts.managedDetail(actor, id);
    const courseCode = cohort.courseVersion!.courseCode;
    const [rows, orderable] = await Promise.all([
      this.printOrders.forCohort(actor, id),
      this.printOrders.orderableMaterials(courseCode),
    ]);
    const values = submittedValues(request);
    const trainees = counts.enrolled;
    const labels = Object.fromEntries(
      orderable.materials.map((m) => [m.id, `${m.title} (${m.code}), ${m.editionLabel}`]),
    );
    return {
      title: `Printed copies: ${cohort.title}`,
      cohort: { id, title: cohort.title, cancelled: cohort.status === 'cancelled' },
      course: COURSE_NAMES[courseCode],
      materialOptions: options(Object.keys(labels), labels, values.materialId),
      withoutEdition: orderable.withoutEdition.join(', '),
      copies: values.copies ?? (trainees > 0 ? String(Math.min(trainees, MAX_PRINTED_COPIES)) : ''),
      copiesHint: `From 1 to ${MAX_PRINTED_COPIES}. The cohort has ${trainees} trainee${trainees === 1 ? '' : 's'} with a place.`,
      rows: printOrderRowsView(rows),
      returnTo: `/cohorts/${id}/print-orders`,
    };
  }

  @Post('cohorts/:id/print-orders')
  @Roles('admin', 'training_lead')
  @Redirect()
  async create(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: FormBody,
    @Req() request: FastifyRequest,
  ) {
    await this.cohorts.assertCanManage(actor, id);
    const url = `/cohorts/${id}/print-orders`;
    const values = { materialId: body.materialId, copies: body.copies };
    return answerForm(request, { url, values, fields: ['materialId', 'copies'] }, async () => {
      const order = await this.printOrders.create(actor, id, await formValue(CreatePrintOrderDto, values));
      setFlash(request, { kind: 'success', text: CHANGED.requested(order) });
      return url;
    });
  }

  /** A row's action: dispatched (with the tracking reference typed beside it), received or cancelled. */
  @Post('print-orders/:id')
  @Roles('admin', 'training_lead')
  @Redirect()
  async change(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: FormBody,
    @Req() request: FastifyRequest,
  ) {
    // Who may change the order is settled before the form is read, so that nobody else learns how it is checked.
    await this.printOrders.assertMayChange(actor, id);
    const url = this.back(body.returnTo, '/print-orders');
    const orderField = `order-${id}`;
    const trackingField = `trackingRef-${id}`;
    const form = {
      url,
      values: { [trackingField]: body[trackingField] },
      fields: [orderField, trackingField],
      toFormFields: ({ trackingRef, ...others }: Record<string, string[]>) => ({
        ...others,
        ...(trackingRef ? { [trackingField]: trackingRef } : {}),
      }),
    };
    return answerForm(request, form, async () => {
      const dto = await formValue(UpdatePrintOrderDto, {
        status: body.status,
        trackingRef: body[trackingField],
      });
      const order = await this.printOrders.change(actor, id, dto);
      setFlash(request, { kind: 'success', text: CHANGED[order.status](order) });
      return url;
    });
  }

  /** The trainee's copy reached them; back to the page they confirmed it on, their materials unless it says. */
  @Post('print-orders/:id/receipt')
  @Roles('trainee')
  @Redirect()
  async confirmReceipt(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: FormBody,
    @Req() request: FastifyRequest,
  ) {
    const url = this.back(body.returnTo, '/my/materials');
    return answerForm(request, { url, values: {}, fields: [`receipt-${id}`] }, async () => {
      const { order, alreadyConfirmed } = await this.printOrders.confirmReceipt(actor, id);
      setFlash(request, {
        kind: 'success',
        text: alreadyConfirmed
          ? `You had already confirmed that your copy of ${order.materialTitle} reached you.`
          : `Thank you: you have confirmed that your copy of ${order.materialTitle} reached you.`,
      });
      return url;
    });
  }

  /** Only a path on this site, so that a crafted form cannot send someone elsewhere. */
  private back(returnTo: unknown, fallback: string): string {
    return returnTo === undefined || returnTo === '' ? fallback : sameSitePath(returnTo, this.config.APP_URL);
  }
}
