import {
  Body,
  Controller,
  Get,
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
import { setFlash } from 'src/common/page-context';
import { answerForm, redirectTo } from 'src/common/form-submission';
import { formValue } from 'src/common/validation';
import { AuthUser, hasRole } from 'src/common/request-context';
import { ROLE_LABELS, ROLES } from 'src/common/role';
import { OrganisationsService } from 'src/organisations/organisations.service';
import type { UserStatus } from 'src/users/user.entity';
import { CreateUserDto, ListUsersQuery, UpdateUserDto } from 'src/users/dto/user.dto';
import { PROFESSION_LABELS, PROFESSIONS } from 'src/users/profession';
import { LEAD_GRANTABLE_ROLES, UsersService } from 'src/users/users.service';

type FormBody = Record<string, unknown>;

const USER_FIELDS = ['email', 'name', 'roles', 'organisationId', 'profession', 'areaIds', 'status'];

@ApiExcludeController()
@Controller('admin/users')
@Roles('admin', 'training_lead')
export class UsersPagesController {
  constructor(
    private readonly users: UsersService,
    private readonly organisations: OrganisationsService,
  ) {}

  @Get()
  @Render('users/index')
  async index(@CurrentUser() actor: AuthUser, @Query() query: ListUsersQuery) {
    const users = await this.users.list(actor, query);
    return {
      title: 'Users',
      query,
      roleOptions: options(ROLES, ROLE_LABELS, query.role),
      users: users.map((user) => ({
        ...user,
        roleLabels: user.roles.map((role) => ROLE_LABELS[role]).join(', '),
        invited: user.status === 'invited',
        disabled: user.status === 'disabled',
        erased: user.status === 'erased',
      })),
    };
  }

  @Get('new')
  @Render('users/form')
  async newUser(@CurrentUser() actor: AuthUser, @Req() request: FastifyRequest) {
    return {
      title: 'Invite a user',
      action: '/admin/users',
      isNew: true,
      manageable: true,
      ...(await this.formModel(actor, request, {})),
    };
  }

  @Post()
  @Redirect()
  async create(@CurrentUser() actor: AuthUser, @Body() body: FormBody, @Req() request: FastifyRequest) {
    const values = withoutEmptyValues(body);
    return answerForm(request, { url: '/admin/users/new', values, fields: USER_FIELDS }, async () => {
      const { user } = await this.users.create(actor, await formValue(CreateUserDto, values));
      setFlash(request, {
        kind: 'success',
        text: `${user.name} has been invited by e-mail to ${user.email}.`,
      });
      return `/admin/users/${user.id}`;
    });
  }

  @Get(':id')
  @Render('users/form')
  async edit(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Req() request: FastifyRequest,
  ) {
    const user = await this.users.get(actor, id);
    return {
      title: user.name,
      action: `/admin/users/${id}`,
      isNew: false,
      manageable: this.users.mayManage(actor, user) && user.status !== 'erased',
      erasable: hasRole(actor, 'admin') && user.id !== actor.id && user.status !== 'erased',
      user: {
        ...user,
        invited: user.status === 'invited',
        erased: user.status === 'erased',
        roleLabels: user.roles.map((role) => ROLE_LABELS[role]).join(', '),
        professionLabel: user.profession && PROFESSION_LABELS[user.profession],
      },
      statusOptions: hasRole(actor, 'admin') && user.id !== actor.id ? statusOptions(user.status) : null,
      ...(await this.formModel(actor, request, user)),
    };
  }

  @Post(':id')
  @Redirect()
  async update(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: FormBody,
    @Req() request: FastifyRequest,
  ) {
    const form = withoutEmptyValues(body);
    if (!hasRole(actor, 'admin')) {
      // A training lead's form shows only the roles they may give; the person's other roles stay as they are.
      delete form.areaIds;
      const kept = (await this.users.get(actor, id)).roles.filter(
        (role) => !LEAD_GRANTABLE_ROLES.includes(role),
      );
      if (Array.isArray(form.roles)) form.roles = [...form.roles, ...kept];
    }
    return answerForm(request, { url: `/admin/users/${id}`, values: form, fields: USER_FIELDS }, async () => {
      await this.users.update(actor, id, await formValue(UpdateUserDto, form));
      setFlash(request, { kind: 'success', text: 'The changes have been saved.' });
      return `/admin/users/${id}`;
    });
  }

  @Post(':id/resend-invitation')
  @Redirect()
  async resend(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Req() request: FastifyRequest,
  ) {
    await this.users.resendInvitation(actor, id);
    setFlash(request, {
      kind: 'success',
      text: 'A new invitation has been sent. Earlier links no longer work.',
    });
    return redirectTo(`/admin/users/${id}`);
  }

  /** Values from a refused submission win over the stored record, so nothing typed is lost. */
  private async formModel(actor: AuthUser, request: FastifyRequest, stored: object) {
    const submitted = request.session.data.form?.values ?? {};
    const current: Record<string, unknown> = { ...stored, ...submitted };
    const isAdmin = hasRole(actor, 'admin');
    const [organisations, areas] = await Promise.all([
      this.organisations.listOrganisations(),
      isAdmin ? this.organisations.listAreas(actor) : Promise.resolve([]),
    ]);
    const visibleOrganisations = isAdmin
      ? organisations
      : organisations.filter((o) => o.id === actor.organisationId);
    const grantable = isAdmin ? ROLES : LEAD_GRANTABLE_ROLES;
    return {
      current,
      roleOptions: options(grantable, ROLE_LABELS, current.roles),
      professionOptions: options(PROFESSIONS, PROFESSION_LABELS, current.profession),
      // A training lead's people belong to the lead's organisation, so "none" is not theirs to choose.
      organisationEmptyText: isAdmin ? 'No organisation' : null,
      organisationOptions: visibleOrganisations.map((organisation) => ({
        value: organisation.id,
        text: `${organisation.name} (${organisation.area?.name ?? ''})`,
        selected: organisation.id === current.organisationId,
      })),
      areaOptions: isAdmin
        ? areas.map((area) => ({
            value: area.id,
            text: `${area.name} (${area.code})`,
            selected: ([] as unknown[]).concat(current.areaIds ?? []).includes(area.id),
          }))
        : null,
    };
  }
}

/** An invited person can be disabled before they accept; enabling a disabled one restores what they were. */
function statusOptions(status: UserStatus) {
  switch (status) {
    case 'invited':
      return options(
        ['invited', 'disabled'] as const,
        { invited: 'Invited: has not accepted yet', disabled: 'Disabled' },
        status,
      );
    case 'disabled':
      return options(
        ['disabled', 'active'] as const,
        { disabled: 'Disabled', active: 'Enabled: active again, or invited again if they never accepted' },
        status,
      );
    case 'active':
      return options(['active', 'disabled'] as const, { active: 'Active', disabled: 'Disabled' }, status);
    case 'erased':
      return null;
  }
}

// Checkbox groups post a hidden empty value so that unticking every box is still sent.
function withoutEmptyValues(body: FormBody): FormBody {
  const form = { ...body };
  // "Invited" is offered only to show where the person stands; choosing it changes nothing.
  if (form.status === 'invited') delete form.status;
  if (form.areaIds !== undefined)
    form.areaIds = ([] as unknown[]).concat(form.areaIds).filter((id) => id !== '');
  if (form.roles !== undefined)
    form.roles = ([] as unknown[]).concat(form.roles).filter((role) => role !== '');
  return form;
}
