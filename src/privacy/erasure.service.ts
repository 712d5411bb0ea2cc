import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from 'src/audit/audit.service';
import { forbidden, notFound, refuse } from 'src/common/refusal';
import { AuthUser, hasRole } from 'src/common/request-context';
import { EventsService } from 'src/events/events.service';
import { allowDataProtectionChanges } from 'src/privacy/data-protection-changes';
import type { DataSubject, ErasedRows } from 'src/privacy/personal-data';
import { PersonalDataRegistry } from 'src/privacy/personal-data.registry';
import { PRIVACY_EVENTS } from 'src/privacy/privacy.events';
import { UsersService } from 'src/users/users.service';

export interface Erasure {
  userId: string;
  erasedAt: Date;
  /** What was done, by table: rows deleted and rows kept anonymised. */
  tables: ErasedRows;
}

/**
 * Erasure: every feature's source removes or anonymises the person's data in one transaction, with the audit
 * event and the `user.erased` event that ends their sessions and deletes their named files once it has committed.
 */
@Injectable()
export class ErasureService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly registry: PersonalDataRegistry,
    private readonly events: EventsService,
    private readonly audit: AuditService,
    private readonly users: UsersService,
  ) {}

  onModuleInit(): void {
    this.events.declare('privacy', PRIVACY_EVENTS);
  }

  async erase(actor: AuthUser, userId: string, reason: string): Promise<Erasure> {
    assertMayErase(actor);
    return this.dataSource.transaction(async (manager) => {
      const subject = await this.lockSubject(manager, userId);
      if (subject.id === actor.id)
        throw refuse('OWN_ACCOUNT_ERASURE', 'You cannot erase your own data: ask another administrator');
      await allowDataProtectionChanges(manager);
      const tables: ErasedRows = {};
      for (const source of this.registry.all()) Object.assign(tables, await source.erase(subject, manager));
      await this.audit.record(
        {
          actorId: actor.id,
          action: 'user.erased',
          subjectType: 'user',
          subjectId: userId,
          details: { reason, tables },
        },
        manager,
      );
      await this.events.publish(manager, 'user.erased', { userId, erasedById: actor.id });
      return { userId, erasedAt: new Date(), tables };
    });
  }

  /** What of the person's is still under way, which erasure leaves as it is: the admin withdraws or replaces first. */
  async stillUnderway(actor: AuthUser, userId: string): Promise<string[]> {
    assertMayErase(actor);
    const { id, email, name } = await this.users.get(actor, userId);
    const subject = { id, email, name };
    const underway = await Promise.all(
      this.registry.all().map(async (source) => (await source.stillUnderway?.(subject)) ?? []),
    );
    return underway.flat();
  }

  /** The person as their account is now, locked so that two erasures of them run one after the other. */
  private async lockSubject(manager: EntityManager, userId: string): Promise<DataSubject> {
    const user = await this.users.lockForErasure(userId, manager);
    if (!user) throw notFound('The user');
    if (user.status === 'erased')
      throw refuse('ACCOUNT_ERASED', 'This person’s data has already been erased');
    return { id: user.id, email: user.email, name: user.name };
  }
}

function assertMayErase(actor: AuthUser): void {
  if (!hasRole(actor, 'admin')) throw forbidden('Only administrators may erase a person’s data');
}
