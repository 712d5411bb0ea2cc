import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { AuthUser } from 'src/common/request-context';
import type { Role } from 'src/common/role';

export const PUBLIC_KEY = 'access:public';
export const ROLES_KEY = 'access:roles';

/** Reachable without signing in. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Signed-in users holding at least one of these roles. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** The signed-in user; routes that are not @Public() always have one. */
export const CurrentUser = createParamDecorator((_: unknown, context: ExecutionContext): AuthUser => {
  return context.switchToHttp().getRequest<FastifyRequest>().user as AuthUser;
});
