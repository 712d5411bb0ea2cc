import type { Role } from 'src/common/role';

/** The signed-in person as every request sees them. */
export interface AuthUser {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  organisationId: string | null;
}

export interface FlashMessage {
  kind: 'success' | 'important';
  text: string;
}

export interface FormState {
  errors: Record<string, string[]>;
  values: Record<string, unknown>;
}

export interface SessionData {
  userId?: string;
  /** Epoch milliseconds of sign-in, for the absolute session lifetime. */
  signedInAt?: number;
  csrfToken?: string;
  flash?: FlashMessage;
  form?: FormState;
  /** What a page shows once after its post redirects back to it (a preview, a result), kept for that page only. */
  pageResult?: { path: string; value: unknown };
}

export interface RequestSession {
  id: string | null;
  data: SessionData;
  changed: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    session: RequestSession;
    user: AuthUser | null;
  }
}

export const hasRole = (user: AuthUser | null, ...roles: Role[]) =>
  user !== null && roles.some((role) => user.roles.includes(role));
