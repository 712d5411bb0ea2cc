import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { RENDER_METADATA } from '@nestjs/common/constants';
import type { FastifyRequest } from 'fastify';
import { map, Observable } from 'rxjs';
import { pageContext } from 'src/common/page-context';

/** Page controllers return only their view model; this adds what the layout needs. */
@Injectable()
export class PageContextInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (!Reflect.getMetadata(RENDER_METADATA, context.getHandler())) return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    return next.handle().pipe(map((model: object) => ({ ...pageContext(request), ...model })));
  }
}
