import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHmac, randomBytes } from 'node:crypto';
import { Brackets, DataSource, EntityManager, In, IsNull, Not } from 'typeorm';
import { AuditService } from 'src/audit/audit.service';
import { forbidden, notFound, refuse } from 'src/common/refusal';
import { AuthUser, hasRole } from 'src/common/request-context';
import type { Role } from 'src/common/role';
import { APP_CONFIG, AppConfig } from 'src/config/app-config';
import { EventsService } from 'src/events/events.service';
import { AccessChange, USER_EVENTS } from 'src/users/user.events';
import { OrganisationsService } from 'src/organisations/organisations.service';
import type { CreateUserDto, ListUsersQuery, UpdateUserDto } from 'src/users/dto/user.dto';
import { hashPassword } from 'src/users/password-hasher';
import type { Profession } from 'src/users/profession';
import { User, UserStatus } from 'src/users/user.entity';
import { UserToken, UserTokenPurpose } from 'src/users/user-token.entity';

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** Roles a training lead may give or take away, within their own organisation. */
export const LEAD_GRANTABLE_ROLES: readonly Role[] = ['trainee', 'facilitator'];

export interface UserView {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  organisationId: string | null;
  organisationName: string | null;
  profession: Profession | null;
  status: User['status'];
  lastSignedInAt: Date | null;
  createdAt: Date;
  areaIds: string[];
}

export interface CreatedUser {
  user: UserView;
}

const ENROLLABLE_STATUSES: UserStatus[] = ['active', 'invited'];
const ACTIVE_ONLY: UserStatus[] = ['active'];
/** Accounts no longer written to. */
const UNREACHABLE_STATUSES: UserStatus[] = ['disabled', 'erased'];

@Injectable()
export class UsersService implements OnModuleInit {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly organisations: OrganisationsService,
    private readonly events: EventsService,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.events.declare('users', USER_EVENTS);
  }

  private get users() {
    return this.dataSource.getRepository(User);
  }

  /** The signed-in person of a request, read on every request: one plain query, not the query builder's. */
  async findAuthUser(id: string): Promise<AuthUser | null> {
    const [user]: AuthUser[] = await this.users.query(
      `SELECT id, email, name, roles, organisation_id AS "organisationId" FROM users WHERE id = $1 AND status = 'active'`,
      [id],
    );
    return user ?? null;
  }

  async findForSignIn(email: string): Promise<(User & { passwordHash: string | null }) | null> {
    return this.users
      .createQueryBuilder('user')
      .addSelect('user.passwordHash')
      .where('user.email = :email', { email: email.trim().toLowerCase() })
      .getOne();
  }

  async findActiveByEmail(email: string): Promise<User | null> {
    return this.users.findOneBy({ email: email.trim().toLowerCase(), status: 'active' });
  }

  async markSignedIn(id: string): Promise<void> {
    await this.users.update({ id }, { lastSignedInAt: new Date() });
  }

  /**
   * Creates an account. `actor` is null when created from the shell. Without a password the person gets an
   * invitation e-mail with a single-use link valid for 7 days, unless `inviteLater`: then the link goes in the
   * e-mail that tells them why they were added (their place on a cohort).
   */
  async create(
    actor: AuthUser | null,
    dto: CreateUserDto,
    password?: string,
    { inviteLater = false } = {},
  ): Promise<CreatedUser> {
    const organisationId = this.organisationFor(actor, dto.organisationId ?? null);
    if (actor) {
      this.assertMayGrant(actor, [], dto.roles);
      assertAdminOnlyFields(actor, dto);
    }
    if (organisationId) await this.organisations.getOrganisation(organisationId);
    if (await this.users.existsBy({ email: dto.email }))
      throw refuse('EMAIL_TAKEN', `A user with e-mail ${dto.email} already exists`, { field: 'email' });
    const passwordHash = password ? await hashPassword(password) : null;

    const userId = await this.dataSource.transaction(async (manager) => {
      const user = await manager.save(
        manager.create(User, {
          email: dto.email,
          name: dto.name,
          roles: dto.roles,
          organisationId,
          profession: dto.profession ?? null,
          passwordHash,
          status: password ? 'active' : 'invited',
        }),
      );
      if (dto.areaIds) await this.organisations.setCommissionedAreas(user.id, dto.areaIds, manager);
      await this.audit.record(
        {
          actorId: actor?.id ?? null,
          action: 'user.created',
          subjectType: 'user',
          subjectId: user.id,
          details: { email: user.email, roles: user.roles, organisationId, via: actor ? 'web' : 'cli' },
        },
        manager,
      );
      if (!password && !inviteLater)
        await this.events.publish(manager, 'user.invited', {
          userId: user.id,
          invitedById: actor?.id ?? null,
        });
      return user.id;
    });
    return { user: await this.view(userId) };
  }

  async resendInvitation(actor: AuthUser, id: string): Promise<void> {
    const user = await this.getManageable(actor, id);
    assertNotErased(user);
    if (user.status === 'disabled') {
      throw refuse(
        'ACCOUNT_DISABLED',
        'This account is disabled: an administrator must enable it before a new invitation can be sent',
      );
    }
    if (user.status !== 'invited') {
      throw refuse('INVITATION_ALREADY_ACCEPTED', 'This person has already accepted their invitation');
    }
    await this.dataSource.transaction(async (manager) => {
      await this.revokeLinks(id, manager);
      await this.events.publish(manager, 'user.invited', { userId: id, invitedById: actor.id });
      await this.audit.record(
        { actorId: actor.id, action: 'user.invitation_resent', subjectType: 'user', subjectId: id },
        manager,
      );
    });
  }

  async list(actor: AuthUser, query: ListUsersQuery): Promise<UserView[]> {
    const builder = this.users
      .createQueryBuilder('user')
      .leftJoinAndSelect('user.organisation', 'organisation')
      .orderBy('user.name', 'ASC')
      .take(1000);
    if (!hasRole(actor, 'admin')) {
      if (!actor.organisationId) return [];
      builder.andWhere('user.organisationId = :own', { own: actor.organisationId });
    }
    if (query.role) builder.andWhere(':role = ANY(user.roles)', { role: query.role });
    if (query.organisationId) builder.andWhere('user.organisationId = :organisationId', query);
    if (query.q) {
      const pattern = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      builder.andWhere(
        new Brackets((where) =>
          where
            .where('user.name ILIKE :pattern', { pattern })
            .orWhere('user.email ILIKE :pattern', { pattern }),
        ),
      );
    }
    const users = await builder.getMany();
    const areaLinks = await this.organisations.commissionedAreaIdsByUser(
      users.filter((user) => user.roles.includes('commissioner')).map((user) => user.id),
    );
    return users.map((user) => toView(user, areaLinks.get(user.id) ?? []));
  }

  /** The signed-in person's own account. */
  async profile(user: AuthUser): Promise<UserView> {
    return this.view(user.id);
  }

  async get(actor: AuthUser, id: string): Promise<UserView> {
    await this.getVisible(actor, id);
    return this.view(id);
  }

  async update(actor: AuthUser, id: string, dto: UpdateUserDto): Promise<UserView> {
    const user = await this.getManageable(actor, id);
    assertNotErased(user);
    if (dto.roles) this.assertMayGrant(actor, user.roles, dto.roles);
    if (
      !hasRole(actor, 'admin') &&
      dto.organisationId !== undefined &&
      dto.organisationId !== user.organisationId
    ) {
      throw refuse('ADMIN_ONLY_CHANGE', 'Only an administrator can move a person to another organisation', {
        field: 'organisationId',
      });
    }
    assertAdminOnlyFields(actor, dto);
    if (dto.organisationId) await this.organisations.getOrganisation(dto.organisationId);
    if (dto.status === 'active' && user.status === 'invited') {
      throw refuse('INVITED_STATUS_FIXED', 'An invited person becomes active by accepting their invitation', {
        field: 'status',
      });
    }
    if (dto.roles && user.id === actor.id && user.roles.includes('admin') && !dto.roles.includes('admin')) {
      throw refuse('OWN_ACCOUNT_PROTECTED', 'You cannot remove your own administrator role', {
        field: 'roles',
      });
    }
    if (dto.status === 'disabled' && user.id === actor.id) {
      throw refuse('OWN_ACCOUNT_PROTECTED', 'You cannot disable your own account', { field: 'status' });
    }

    await this.dataSource.transaction(async (manager) => {
      const changes: Partial<User> = {};
      if (dto.name !== undefined) changes.name = dto.name;
      if (dto.roles !== undefined) changes.roles = dto.roles;
      if (dto.organisationId !== undefined) changes.organisationId = dto.organisationId;
      if (dto.profession !== undefined) changes.profession = dto.profession;
      if (dto.status === 'disabled' && user.status !== 'disabled') {
        changes.status = 'disabled';
        await this.revokeLinks(id, manager);
      }
      // Someone who never set a password goes back to waiting for an invitation, which can then be sent again.
      if (dto.status === 'active' && user.status === 'disabled')
        changes.status = (await this.hasPassword(id, manager)) ? 'active' : 'invited';
      if (Object.keys(changes).length > 0) await manager.update(User, { id }, changes);
      if (dto.areaIds !== undefined) await this.organisations.setCommissionedAreas(id, dto.areaIds, manager);
      await this.audit.record(
        {
          actorId: actor.id,
          action: 'user.updated',
          subjectType: 'user',
          subjectId: id,
          details: { ...dto },
        },
        manager,
      );
      if (dto.roles && !sameRoles(user.roles, dto.roles)) {
        await this.audit.record(
          {
            actorId: actor.id,
            action: 'user.roles_changed',
            subjectType: 'user',
            subjectId: id,
            details: { from: user.roles, to: dto.roles },
          },
          manager,
        );
      }
      const accessChanges: AccessChange[] = [
        ...(changes.roles && !sameRoles(user.roles, changes.roles) ? (['roles'] as const) : []),
        ...(changes.organisationId !== undefined && changes.organisationId !== user.organisationId
          ? (['organisation'] as const)
          : []),
        ...(changes.status === 'disabled' ? (['disabled'] as const) : []),
      ];
      if (accessChanges.length > 0)
        await this.events.publish(manager, 'user.access_changed', {
          userId: id,
          changedById: actor.id,
          changes: accessChanges,
        });
      if (changes.status) {
        await this.audit.record(
          {
            actorId: actor.id,
            action: `user.${changes.status === 'disabled' ? 'disabled' : 'enabled'}`,
            subjectType: 'user',
            subjectId: id,
          },
          manager,
        );
      }
    });
    return this.view(id);
  }

  /** The person as their account is now, locked in the caller's transaction (an erasure) until it ends. */
  async lockForErasure(
    userId: string,
    manager: EntityManager,
  ): Promise<Pick<User, 'id' | 'email' | 'name' | 'status'> | null> {
    const [user]: Array<Pick<User, 'id' | 'email' | 'name' | 'status'>> = await manager.query(
      `SELECT id, email, name, status FROM users WHERE id = $1 FOR UPDATE`,
      [userId],
    );
    return user ?? null;
  }

  /** Creates a single-use token; only its keyed hash is stored. */
  async issueToken(
    userId: string,
    purpose: UserTokenPurpose,
    ttlMs: number,
    manager: EntityManager,
  ): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await manager.insert(UserToken, {
      userId,
      purpose,
      tokenHash: this.hashToken(token),
      expiresAt: new Date(Date.now() + ttlMs),
    });
    return token;
  }

  /** Marks the token used and returns its user; the row lock makes a link work exactly once, even when raced. */
  async redeemToken(
    purpose: UserTokenPurpose,
    token: string,
    manager: EntityManager,
  ): Promise<string | null> {
    const row = await manager
      .createQueryBuilder(UserToken, 'token')
      .setLock('pessimistic_write')
      .where('token.tokenHash = :hash AND token.purpose = :purpose', { hash: this.hashToken(token), purpose })
      .andWhere('token.usedAt IS NULL AND token.expiresAt > now()')
      .getOne();
    if (!row) return null;
    await manager.update(UserToken, { id: row.id }, { usedAt: new Date() });
    return row.userId;
  }

  async setPassword(userId: string, password: string, manager: EntityManager): Promise<User> {
    const user = await manager.findOneBy(User, { id: userId });
    if (!user || user.status === 'disabled' || user.status === 'erased') {
      throw refuse('LINK_UNUSABLE', 'This account is disabled. Ask your training lead.');
    }
    await manager.update(
      User,
      { id: userId },
      { passwordHash: await hashPassword(password), status: 'active' },
    );
    await this.revokeLinks(userId, manager);
    return user;
  }

  /** Voids every invitation and password-reset link of a person that is still usable. */
  private async revokeLinks(userId: string, manager: EntityManager): Promise<void> {
    await manager.update(UserToken, { userId, usedAt: IsNull() }, { usedAt: new Date() });
  }

  private async hasPassword(userId: string, manager: EntityManager): Promise<boolean> {
    const row = await manager
      .createQueryBuilder(User, 'user')
      .select('user.passwordHash IS NOT NULL', 'hasPassword')
      .where('user.id = :userId', { userId })
      .getRawOne<{ hasPassword: boolean }>();
    return row?.hasPassword === true;
  }

  /**
   * Names and addresses for e-mails and listings, in one query; inside a transaction, pass its manager.
   * `reachableOnly` leaves out disabled accounts, who are no longer written to.
   */
  async contacts(
    ids: string[],
    manager: EntityManager = this.dataSource.manager,
    { reachableOnly = false } = {},
  ): Promise<Map<string, { id: string; name: string; email: string }>> {
    const users = ids.length
      ? await manager.find(User, {
          where: {
            id: In([...new Set(ids)]),
            ...(reachableOnly ? { status: Not(In(UNREACHABLE_STATUSES)) } : {}),
          },
          select: { id: true, name: true, email: true },
        })
      : [];
    return new Map(users.map((user) => [user.id, { id: user.id, name: user.name, email: user.email }]));
  }

  /** Accounts by e-mail address (as stored, lower case), for matching a list of people to those already here. */
  async findByEmails(emails: string[]): Promise<Map<string, UserView>> {
    if (emails.length === 0) return new Map();
    const users = await this.users.find({ where: { email: In(emails) }, relations: { organisation: true } });
    return new Map(users.map((user) => [user.email, toView(user, [])]));
  }

  /**
   * The people the actor may pick for a cohort in this role: trainees who can be enrolled (invited or active, as
   * `assertEnrollable` allows), or active people for any other role (as `assertActiveWithRole` requires).
   */
  async pickable(actor: AuthUser, role: Role): Promise<UserView[]> {
    const statuses = role === 'trainee' ? ENROLLABLE_STATUSES : ACTIVE_ONLY;
    return (await this.list(actor, { role })).filter((user) => statuses.includes(user.status));
  }

  /** Refuses unless every one of these people is an active user holding the role. */
  async assertActiveWithRole(ids: string[], role: Role, label: string): Promise<void> {
    if (!(await this.allHold(ids, role, ACTIVE_ONLY))) {
      throw refuse('ROLE_MISSING', `Every ${label} must be an active user with the ${role} role`);
    }
  }

  /** A trainee can be given a place before they have accepted their invitation, never once disabled. */
  async assertEnrollable(ids: string[]): Promise<void> {
    if (!(await this.allHold(ids, 'trainee', ENROLLABLE_STATUSES))) {
      throw refuse(
        'ROLE_MISSING',
        'Every trainee must hold the trainee role, with an account that is not disabled',
      );
    }
  }

  /**
   * For someone who has not accepted their invitation yet, a new link to set up their account, to go in another
   * e-mail (their place on a cohort). Earlier links keep working until one of them is used.
   */
  async invitationLinkIfInvited(
    userId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<string | null> {
    const user = await manager.findOneBy(User, { id: userId });
    if (user?.status !== 'invited') return null;
    return this.invitationUrl(await this.issueToken(userId, 'invitation', INVITATION_TTL_MS, manager));
  }

  private async allHold(ids: string[], role: Role, statuses: UserStatus[]): Promise<boolean> {
    if (ids.length === 0) return true;
    const count = await this.users
      .createQueryBuilder('user')
      .where('user.id IN (:...ids) AND user.status IN (:...statuses) AND :role = ANY(user.roles)', {
        ids,
        statuses,
        role,
      })
      .getCount();
    return count === new Set(ids).size;
  }

  private invitationUrl(token: string): string {
    return `${this.config.APP_URL}/accept-invitation?token=${token}`;
  }

  async rolesSummary(): Promise<Array<{ role: Role; count: number }>> {
    const rows: Array<{ role: Role; count: string }> = await this.dataSource.query(
      `SELECT role, count(*) AS count FROM users, unnest(roles) AS role WHERE status = 'active' GROUP BY role ORDER BY role`,
    );
    return rows.map((row) => ({ role: row.role, count: Number(row.count) }));
  }

  private hashToken(token: string): string {
    return createHmac('sha256', this.config.SESSION_SECRET).update(token).digest('hex');
  }

  private organisationFor(actor: AuthUser | null, requested: string | null): string | null {
    if (!actor || hasRole(actor, 'admin')) return requested;
    if (!hasRole(actor, 'training_lead') || !actor.organisationId) throw forbidden();
    if (requested && requested !== actor.organisationId) {
      throw refuse(
        'ORGANISATION_NOT_YOURS',
        'A training lead can add people only to their own organisation',
        {
          field: 'organisationId',
        },
      );
    }
    return actor.organisationId;
  }

  private assertMayGrant(actor: AuthUser, current: Role[], requested: Role[]): void {
    if (hasRole(actor, 'admin')) return;
    const changed = [
      ...requested.filter((r) => !current.includes(r)),
      ...current.filter((r) => !requested.includes(r)),
    ];
    const refused = changed.filter((role) => !LEAD_GRANTABLE_ROLES.includes(role));
    if (refused.length > 0) {
      throw refuse(
        'ROLE_NOT_GRANTABLE',
        `A training lead can give or remove only these roles: ${LEAD_GRANTABLE_ROLES.join(', ')}`,
        { field: 'roles' },
      );
    }
  }

  /**
   * Admins change anyone. A training lead changes only trainee and facilitator accounts of their own
   * organisation: never an admin's, another lead's or a commissioner's, and never their own.
   */
  mayManage(actor: AuthUser, user: Pick<User, 'id' | 'roles' | 'organisationId'>): boolean {
    if (hasRole(actor, 'admin')) return true;
    return (
      isVisibleTo(actor, user) &&
      user.id !== actor.id &&
      user.roles.every((role) => LEAD_GRANTABLE_ROLES.includes(role))
    );
  }

  private async getVisible(actor: AuthUser, id: string): Promise<User> {
    const user = await this.users.findOneBy({ id });
    if (!user || !isVisibleTo(actor, user)) throw notFound('The user');
    return user;
  }

  private async getManageable(actor: AuthUser, id: string): Promise<User> {
    const user = await this.getVisible(actor, id);
    if (!this.mayManage(actor, user)) {
      throw forbidden(
        'A training lead manages only the trainee and facilitator accounts of their organisation, not their own',
      );
    }
    return user;
  }

  private async view(id: string): Promise<UserView> {
    const user = await this.users.findOne({ where: { id }, relations: { organisation: true } });
    if (!user) throw notFound('The user');
    return toView(user, await this.organisations.commissionedAreaIds(id));
  }
}

/** Admins see everyone; a training lead sees the people of their own organisation. */
function isVisibleTo(actor: AuthUser, user: Pick<User, 'organisationId'>): boolean {
  if (hasRole(actor, 'admin')) return true;
  return (
    hasRole(actor, 'training_lead') && !!actor.organisationId && user.organisationId === actor.organisationId
  );
}

/** An erased account is kept only as its anonymous trace: nobody changes it, nor sends it anything. */
function assertNotErased(user: Pick<User, 'status'>): void {
  if (user.status === 'erased')
    throw refuse(
      'ACCOUNT_ERASED',
      'This person’s data has been erased; the account can no longer be changed',
    );
}

/** Account status and commissioned areas are set by admins only, when creating a person as when changing them. */
function assertAdminOnlyFields(actor: AuthUser, dto: { areaIds?: string[]; status?: string }): void {
  if (!hasRole(actor, 'admin') && (dto.status !== undefined || dto.areaIds !== undefined)) {
    throw forbidden('Only an administrator can change account status or commissioned areas');
  }
}

const sameRoles = (a: Role[], b: Role[]) => a.length === b.length && a.every((role) => b.includes(role));

export function toAuthUser(user: User): AuthUser {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    roles: user.roles,
    organisationId: user.organisationId,
  };
}

function toView(user: User, areaIds: string[]): UserView {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    roles: user.roles,
    organisationId: user.organisationId,
    organisationName: user.organisation?.name ?? null,
    profession: user.profession,
    status: user.status,
    lastSignedInAt: user.lastSignedInAt,
    createdAt: user.createdAt,
    areaIds,
  };
}
