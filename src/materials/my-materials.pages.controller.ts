import { Controller, Get, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { CurrentUser, Roles } from 'src/common/access.decorators';
import { londonDay } from 'src/common/london-date';
import { AuthUser, hasRole } from 'src/common/request-context';
import { traineePrintOrderJson } from 'src/materials/print-orders.presenter';
import { PrintOrdersService } from 'src/materials/print-orders.service';
import { MaterialIssuesService } from 'src/materials/material-issues.service';

/** A trainee's or facilitator's licensed manuals and handbooks: what they hold, and their personalised copies. */
@ApiExcludeController()
@Controller('my/materials')
@Roles('trainee', 'facilitator')
export class MyMaterialsPagesController {
  constructor(
    private readonly issues: MaterialIssuesService,
    private readonly printOrders: PrintOrdersService,
  ) {}

  @Get()
  @Render('materials/mine')
  async page(@CurrentUser() actor: AuthUser) {
    const [held, printed] = await Promise.all([
      this.issues.heldBy(actor),
      hasRole(actor, 'trainee') ? this.printOrders.forTrainee(actor) : [],
    ]);
    return {
      printed: printed.map((order) => ({
        ...traineePrintOrderJson(order),
        dispatchedOn: order.dispatchedAt ? londonDay(order.dispatchedAt) : null,
        confirmedOn: order.confirmedAt ? londonDay(order.confirmedAt) : null,
      })),
      title: 'Your materials',
      materials: held.map((row) => ({
        ...row,
        forFacilitators: row.basis === 'facilitator',
        withdrawnOn: row.withdrawnAt ? londonDay(row.withdrawnAt) : null,
        lastDownload: row.lastDownload ? { ...row.lastDownload, on: londonDay(row.lastDownload.at) } : null,
        // A newer edition licensed to them is theirs to download now; one that is not (licence withdrawn) is news.
        newerToDownload: row.canDownload && row.newerEdition !== null,
      })),
    };
  }
}
