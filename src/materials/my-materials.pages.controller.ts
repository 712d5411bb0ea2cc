import { Controller, Get, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { CurrentUser, Roles } from 'src/common/access.decorators';
import { londonLongDate } from 'src/common/london-date';
import type { AuthUser } from 'src/common/request-context';
import { MaterialIssuesService } from 'src/materials/material-issues.service';

/** A trainee's or facilitator's licensed manuals and handbooks: what they hold, and their personalised copies. */
@ApiExcludeController()
@Controller('my/materials')
@Roles('trainee', 'facilitator')
export class MyMaterialsPagesController {
  constructor(private readonly issues: MaterialIssuesService) {}

  @Get()
  @Render('materials/mine')
  async page(@CurrentUser() actor: AuthUser) {
    const held = await this.issues.heldBy(actor);
    return {
      title: 'Your materials',
      materials: held.map((row) => ({
        ...row,
        forFacilitators: row.basis === 'facilitator',
        withdrawnOn: row.withdrawnAt ? londonLongDate(row.withdrawnAt) : null,
        lastDownload: row.lastDownload
          ? { ...row.lastDownload, on: londonLongDate(row.lastDownload.at) }
          : null,
        // A newer edition licensed to them is theirs to download now; one that is not (licence withdrawn) is news.
        newerToDownload: row.canDownload && row.newerEdition !== null,
      })),
    };
  }
}
