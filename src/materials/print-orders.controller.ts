import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from 'src/common/access.decorators';
import type { AuthUser } from 'src/common/request-context';
import {
  CreatePrintOrderDto,
  PrintOrdersQuery,
  UpdatePrintOrderDto,
} from 'src/materials/dto/print-order.dto';
import { printOrderJson, traineePrintOrderJson } from 'src/materials/print-orders.presenter';
import { PrintOrdersService } from 'src/materials/print-orders.service';

@ApiTags('print orders')
@Controller('api/v1')
export class PrintOrdersController {
  constructor(private readonly printOrders: PrintOrdersService) {}

  /** Copies of the material's current edition; 422 for a material not of the cohort's course or without one. */
  @Post('cohorts/:id/print-orders')
  @Roles('admin', 'training_lead')
  async create(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: CreatePrintOrderDto,
  ) {
    return printOrderJson(await this.printOrders.create(actor, id, dto));
  }

  @Get('cohorts/:id/print-orders')
  @Roles('admin', 'training_lead')
  async forCohort(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return (await this.printOrders.forCohort(actor, id)).map(printOrderJson);
  }

  /** The organisation's orders (an admin's: all), newest first; `outstanding` is requested or dispatched. */
  @Get('print-orders')
  @Roles('admin', 'training_lead')
  async list(@CurrentUser() actor: AuthUser, @Query() query: PrintOrdersQuery) {
    return (await this.printOrders.list(actor, query.status)).map(printOrderJson);
  }

  /** 409 PRINT_ORDER_STATUS_REFUSED, saying what the order can become, for any other change. */
  @Patch('print-orders/:id')
  @Roles('admin', 'training_lead')
  async change(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdatePrintOrderDto,
  ) {
    return printOrderJson(await this.printOrders.change(actor, id, dto));
  }

  /** The trainee's copy reached them; confirming again keeps the first time. */
  @Post('print-orders/:id/receipt')
  @HttpCode(200)
  @Roles('trainee')
  async confirmReceipt(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return traineePrintOrderJson((await this.printOrders.confirmReceipt(actor, id)).order);
  }

  @Get('me/print-orders')
  @Roles('trainee')
  async mine(@CurrentUser() actor: AuthUser) {
    return (await this.printOrders.forTrainee(actor)).map(traineePrintOrderJson);
  }
}
