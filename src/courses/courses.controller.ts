import { Body, Controller, Get, Param, ParseEnumPipe, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from 'src/common/access.decorators';
import { notFound } from 'src/common/refusal';
import type { AuthUser } from 'src/common/request-context';
import { COURSE_CODES, CourseCode } from 'src/courses/course-code';
import { CoursesService } from 'src/courses/courses.service';
import {
  CreateCourseVersionDto,
  RecordAccreditationDto,
  RecordCompletionDto,
} from 'src/courses/dto/course.dto';
import { UsersService } from 'src/users/users.service';

const courseCodePipe = new ParseEnumPipe(COURSE_CODES, { exceptionFactory: () => notFound('The course') });

@ApiTags('courses')
@Controller('api/v1/courses')
export class CoursesController {
  constructor(private readonly courses: CoursesService) {}

  @Get()
  list() {
    return this.courses.listCurrent();
  }

  @Get(':code/versions')
  @Roles('admin', 'training_lead')
  versions(@Param('code', courseCodePipe) code: CourseCode) {
    return this.courses.versions(code);
  }

  @Post(':code/versions')
  @Roles('admin')
  createVersion(
    @CurrentUser() actor: AuthUser,
    @Param('code', courseCodePipe) code: CourseCode,
    @Body() dto: CreateCourseVersionDto,
  ) {
    return this.courses.createVersion(actor, code, dto);
  }
}

/** What a person holds: accreditations to deliver a course, and completions from before the platform. */
@ApiTags('users')
@Controller('api/v1/users/:id')
@Roles('admin', 'training_lead')
export class QualificationsController {
  constructor(
    private readonly courses: CoursesService,
    private readonly users: UsersService,
  ) {}

  @Get('accreditations')
  async accreditations(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    await this.users.get(actor, id);
    return this.courses.accreditations(id);
  }

  @Post('accreditations')
  async recordAccreditation(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: RecordAccreditationDto,
  ) {
    await this.users.get(actor, id);
    return this.courses.recordAccreditation(actor, id, dto);
  }

  @Get('completions')
  async completions(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    await this.users.get(actor, id);
    return this.courses.completions(id);
  }

  @Post('completions')
  async recordCompletion(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: RecordCompletionDto,
  ) {
    await this.users.get(actor, id);
    return this.courses.recordCompletion(actor, id, dto);
  }
}
