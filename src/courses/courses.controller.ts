import { Body, Controller, Get, Param, ParseEnumPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from 'src/common/access.decorators';
import { notFound } from 'src/common/refusal';
import type { AuthUser } from 'src/common/request-context';
import { COURSE_CODES, CourseCode } from 'src/courses/course-code';
import { CoursesService } from 'src/courses/courses.service';
import { CreateCourseVersionDto } from 'src/courses/dto/course.dto';

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
