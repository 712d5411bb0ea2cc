import { CanActivate, ExecutionContext, Injectable, UnsupportedMediaTypeException } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { refuse } from 'src/common/refusal';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const isApiRequest = (request: FastifyRequest) => request.url.startsWith('/api/');

/**
 * API routes accept only JSON, which a cross-site form cannot send, so they need no token. Uploads to the API
 * (multipart, which a cross-site form can send) must also carry an `X-Requested-With` header, which a form cannot
 * set and another site's script cannot send without a CORS preflight we never grant.
 * Every other state-changing request is a form post and must echo the session's CSRF token.
 */
@Injectable()
export class CsrfGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (SAFE_METHODS.has(request.method)) return true;
    const contentType = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (isApiRequest(request)) {
      const upload = contentType === 'multipart/form-data' && Boolean(request.headers['x-requested-with']);
      if (contentType && contentType !== 'application/json' && !upload) {
        throw new UnsupportedMediaTypeException(
          'API requests take application/json bodies, or multipart/form-data uploads with an X-Requested-With header',
        );
      }
      return true;
    }
    const body = request.body as Record<string, unknown> | undefined;
    const sent = typeof body?._csrf === 'string' ? body._csrf : request.headers['x-csrf-token'];
    const expected = request.session.data.csrfToken;
    if (typeof sent === 'string' && expected && safeEqual(sent, expected)) return true;
    throw refuse(
      'FORM_EXPIRED',
      'This form has expired or did not come from this site. Go back, reload the page and try again.',
    );
  }
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
