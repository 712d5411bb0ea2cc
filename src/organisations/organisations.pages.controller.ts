import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Redirect, Render, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentUser, Roles } from 'src/common/access.decorators';
import { options } from 'src/common/form-options';
import { setFlash, submittedValues } from 'src/common/page-context';
import type { AuthUser } from 'src/common/request-context';
import { FieldErrors, formValue, validateForm, ValidationFailedException } from 'src/common/validation';
import { answerForm } from 'src/common/form-submission';
import {
  CreateAreaDto,
  CreateOrganisationDto,
  UpdateAreaDto,
  UpdateOrganisationDto,
  WorkforceBaselineDto,
} from 'src/organisations/dto/organisation.dto';
import {
  CERTIFICATE_NAME_POLICIES,
  CERTIFICATE_NAME_POLICY_LABELS,
  ORGANISATION_KIND_LABELS,
  ORGANISATION_KINDS,
} from 'src/organisations/organisation-kind';
import { OrganisationsService } from 'src/organisations/organisations.service';
import { PROFESSION_LABELS, PROFESSIONS } from 'src/users/profession';

type FormBody = Record<string, unknown>;

const AREA_FIELDS = ['code', 'name', 'region'];
const ORGANISATION_FIELDS = ['name', 'kind', 'areaId', 'certificateNamesAfterErasure'];
const BASELINE_FIELDS = PROFESSIONS.map((profession) => `headcount_${profession}`);

@ApiExcludeController()
@Controller('admin')
@Roles('admin')
export class OrganisationsPagesController {
  constructor(private readonly organisations: OrganisationsService) {}

  @Get('areas')
  @Render('organisations/areas')
  async areas(@CurrentUser() actor: AuthUser, @Req() request: FastifyRequest) {
    return {
      title: 'Areas',
      areas: await this.organisations.listAreas(actor),
      current: submittedValues(request),
    };
  }

  @Post('areas')
  @Redirect()
  async createArea(@CurrentUser() actor: AuthUser, @Body() body: FormBody, @Req() request: FastifyRequest) {
    return answerForm(request, { url: '/admin/areas', values: body, fields: AREA_FIELDS }, async () => {
      const area = await this.organisations.createArea(actor, await formValue(CreateAreaDto, body));
      setFlash(request, { kind: 'success', text: `${area.name} (${area.code}) has been added.` });
      return `/admin/areas/${area.id}`;
    });
  }

  @Get('areas/:id')
  @Render('organisations/area')
  async area(@Param('id', ParseUUIDPipe) id: string, @Req() request: FastifyRequest) {
    const [area, baselines, organisations] = await Promise.all([
      this.organisations.getArea(id),
      this.organisations.baselines(id),
      this.organisations.listOrganisations(id),
    ]);
    const headcounts = new Map(baselines.map((baseline) => [baseline.profession, baseline.headcount]));
    const current: Record<string, unknown> = { ...area, ...submittedValues(request) };
    return {
      title: area.name,
      area,
      current,
      organisations,
      total: baselines.reduce((sum, baseline) => sum + baseline.headcount, 0),
      baselineRows: PROFESSIONS.map((profession) => ({
        profession,
        label: PROFESSION_LABELS[profession],
        headcount: current[`headcount_${profession}`] ?? headcounts.get(profession) ?? '',
      })),
    };
  }

  @Post('areas/:id')
  @Redirect()
  async updateArea(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: FormBody,
    @Req() request: FastifyRequest,
  ) {
    return answerForm(request, { url: `/admin/areas/${id}`, values: body, fields: AREA_FIELDS }, async () => {
      await this.organisations.updateArea(actor, id, await formValue(UpdateAreaDto, body));
      setFlash(request, { kind: 'success', text: 'The area has been saved.' });
      return `/admin/areas/${id}`;
    });
  }

  /** One number field per profession; an empty field means the profession is not counted in this area. */
  @Post('areas/:id/workforce-baselines')
  @Redirect()
  async replaceBaselines(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: FormBody,
    @Req() request: FastifyRequest,
  ) {
    const errors: FieldErrors = {};
    const rows: WorkforceBaselineDto[] = [];
    for (const profession of PROFESSIONS) {
      const submittedValue = body[`headcount_${profession}`];
      const raw = typeof submittedValue === 'string' ? submittedValue.trim() : '';
      if (raw === '') continue;
      const { value, errors: rowErrors } = await validateForm(WorkforceBaselineDto, {
        profession,
        headcount: raw,
      });
      if (rowErrors || !/^\d+$/.test(raw)) {
        errors[`headcount_${profession}`] = [
          `${PROFESSION_LABELS[profession]}: enter a whole number of people, 0 or more`,
        ];
      } else rows.push(value);
    }
    const form = { url: `/admin/areas/${id}#baselines`, values: body, fields: BASELINE_FIELDS };
    return answerForm(request, form, async () => {
      if (Object.keys(errors).length > 0) throw new ValidationFailedException(errors);
      await this.organisations.replaceBaselines(actor, id, rows);
      setFlash(request, { kind: 'success', text: 'The workforce baseline has been saved.' });
      return `/admin/areas/${id}`;
    });
  }

  @Get('organisations')
  @Render('organisations/organisations')
  async organisationsPage(@CurrentUser() actor: AuthUser, @Req() request: FastifyRequest) {
    const current = submittedValues(request);
    const [organisations, areas] = await Promise.all([
      this.organisations.listOrganisations(),
      this.organisations.listAreas(actor),
    ]);
    return {
      title: 'Organisations',
      organisations: organisations.map((o) => ({ ...o, kindLabel: ORGANISATION_KIND_LABELS[o.kind] })),
      current,
      kindOptions: options(ORGANISATION_KINDS, ORGANISATION_KIND_LABELS, current.kind),
      areaOptions: areas.map((area) => ({
        value: area.id,
        text: area.name,
        selected: area.id === current.areaId,
      })),
      certificateNameOptions: options(
        CERTIFICATE_NAME_POLICIES,
        CERTIFICATE_NAME_POLICY_LABELS,
        current.certificateNamesAfterErasure,
      ),
    };
  }

  @Post('organisations')
  @Redirect()
  async createOrganisation(
    @CurrentUser() actor: AuthUser,
    @Body() body: FormBody,
    @Req() request: FastifyRequest,
  ) {
    return answerForm(
      request,
      { url: '/admin/organisations', values: body, fields: ORGANISATION_FIELDS },
      async () => {
        const organisation = await this.organisations.createOrganisation(
          actor,
          await formValue(CreateOrganisationDto, body),
        );
        setFlash(request, { kind: 'success', text: `${organisation.name} has been added.` });
        return '/admin/organisations';
      },
    );
  }

  @Get('organisations/:id')
  @Render('organisations/organisation')
  async organisation(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Req() request: FastifyRequest,
  ) {
    const [organisation, areas] = await Promise.all([
      this.organisations.getOrganisation(id),
      this.organisations.listAreas(actor),
    ]);
    const current = { ...organisation, ...submittedValues(request) };
    return {
      title: organisation.name,
      organisation,
      current,
      kindOptions: options(ORGANISATION_KINDS, ORGANISATION_KIND_LABELS, current.kind),
      areaOptions: areas.map((area) => ({
        value: area.id,
        text: area.name,
        selected: area.id === current.areaId,
      })),
      certificateNameOptions: options(
        CERTIFICATE_NAME_POLICIES,
        CERTIFICATE_NAME_POLICY_LABELS,
        current.certificateNamesAfterErasure,
      ),
    };
  }

  @Post('organisations/:id')
  @Redirect()
  async updateOrganisation(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: FormBody,
    @Req() request: FastifyRequest,
  ) {
    return answerForm(
      request,
      { url: `/admin/organisations/${id}`, values: body, fields: ORGANISATION_FIELDS },
      async () => {
        await this.organisations.updateOrganisation(actor, id, await formValue(UpdateOrganisationDto, body));
        setFlash(request, { kind: 'success', text: 'The organisation has been saved.' });
        return '/admin/organisations';
      },
    );
  }
}
