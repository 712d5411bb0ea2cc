import { Controller, Get, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SubjectAccessService } from 'src/privacy/subject-access.service';

/** The page every signed-in person reaches to download everything held about them. */
@ApiExcludeController()
@Controller('my/data')
export class PrivacyPagesController {
  constructor(private readonly subjectAccess: SubjectAccessService) {}

  @Get()
  @Render('privacy/data')
  page() {
    return { title: 'Download your data', recordTypes: this.subjectAccess.recordTypes() };
  }
}
