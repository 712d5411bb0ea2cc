import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { PUBLIC_KEY, ROLES_KEY } from 'src/common/access.decorators';
import { forbidden, refuse } from 'src/common/refusal';
import { hasRole } from 'src/common/request-context';
import type { Role } from 'src/common/role';

/** Routes need a signed-in user unless marked @Public(); @Roles() narrows them further. Scope is the services' job. */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (!request.user) throw refuse('SIGN_IN_REQUIRED', 'Sign in to continue');
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !hasRole(request.user, ...roles)) throw forbidden();
    return true;
  }
}
