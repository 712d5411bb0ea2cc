import { Body, Controller, Get, Param, ParseEnumPipe, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from 'src/common/access.decorators';
import { notFound } from 'src/common/refusal';
import type { AuthUser } from 'src/common/request-context';
import { CompetenciesService } from 'src/competencies/competencies.service';
import { RevokeSignOffDto, SignOffDto } from 'src/competencies/dto/competency.dto';
import { COURSE_CODES, CourseCode } from 'src/courses/course-code';

const courseCodePipe = new ParseEnumPipe(COURSE_CODES, { exceptionFactory: () => notFound('The course') });

@ApiTags('competencies')
@Controller('api/v1')
export class CompetenciesController {
  constructor(private readonly competencies: CompetenciesService) {}

  @Get('courses/:code/competencies')
  framework(@Param('code', courseCodePipe) code: CourseCode) {
    return this.competencies.currentFramework(code);
  }

  @Get('enrolments/:id/competencies')
  forEnrolment(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.competencies.forEnrolment(actor, id);
  }

  @Post('enrolments/:id/competencies/:code/sign-offs')
  @Roles('admin', 'training_lead', 'facilitator')
  signOff(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('code') code: string,
    @Body() dto: SignOffDto,
  ) {
    return this.competencies.signOff(actor, id, code, dto);
  }

  @Post('competency-sign-offs/:id/revoke')
  @Roles('admin', 'training_lead', 'facilitator')
  revoke(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: RevokeSignOffDto,
  ) {
    return this.competencies.revoke(actor, id, dto);
  }
}
