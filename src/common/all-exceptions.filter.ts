import type {} from '@fastify/view';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { EntityNotFoundError, QueryFailedError } from 'typeorm';
import { isApiRequest } from 'src/common/csrf.guard';
import { Refusal } from 'src/common/refusal';
import { fileSize } from 'src/common/file-size';
import { pageContext, setFormState } from 'src/common/page-context';
import { isRedisUnavailable, REDIS_RETRY_AFTER_SECONDS } from 'src/common/redis.module';
import { fieldsBeforeRefusedFile, MAX_UPLOAD_BYTES, uploadFormPage } from 'src/common/uploads';
import { ValidationFailedException } from 'src/common/validation';

interface ErrorBody {
  statusCode: number;
  error: string;
  /** A refusal's own code (`FACILITATOR_CLASH`), or the generic one of its status (`BAD_REQUEST`). */
  code: string;
  message: string;
  /** The one input a refusal is about. */
  field?: string;
  errors?: Record<string, string[]>;
  details?: Record<string, unknown>;
  errorId?: string;
}

// PostgreSQL errors that come from the values sent rather than from a fault of ours. Validation should have refused
// them first; these are the last line, so that bad input is still a 400 and never a 500.
const PG_STATUS: Record<string, [HttpStatus, string]> = {
  '23505': [HttpStatus.CONFLICT, 'A record with these details already exists'],
  '23503': [HttpStatus.CONFLICT, 'This refers to a record that does not exist, or is still referred to'],
  '23502': [HttpStatus.BAD_REQUEST, 'A required value is missing'],
  '23514': [HttpStatus.BAD_REQUEST, 'A value is outside what is allowed'],
  '22P02': [HttpStatus.BAD_REQUEST, 'A value is not in the expected format'],
  '22P05': [HttpStatus.BAD_REQUEST, 'A value contains characters that cannot be stored'],
  '22021': [HttpStatus.BAD_REQUEST, 'A value contains characters that cannot be stored'],
  '22007': [HttpStatus.BAD_REQUEST, 'A date or time is not valid'],
  '22008': [HttpStatus.BAD_REQUEST, 'A date or time is out of range'],
  '22001': [HttpStatus.BAD_REQUEST, 'A value is too long'],
  '22003': [HttpStatus.BAD_REQUEST, 'A number is out of range'],
};
// Class 22 is "data exception": every other code in it is also about a value sent.
const PG_DATA_EXCEPTION: [HttpStatus, string] = [HttpStatus.BAD_REQUEST, 'A value is not valid'];

const REDIS_UNAVAILABLE = 'SESSION_STORE_UNAVAILABLE';

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** The one place where anything thrown becomes an HTTP answer: JSON for the API, a page for the browser. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Exceptions');

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const body = this.toBody(exception, request);
    // Redis away is logged once by its connection (redis.module.ts), not once per request.
    if (body.statusCode >= 500 && body.code !== REDIS_UNAVAILABLE) {
      this.logger.error(
        `${body.errorId} ${request.method} ${request.url}: ${exception instanceof Error ? exception.message : String(exception)}`,
        exception instanceof Error ? exception.stack : undefined,
      );
    }
    if (reply.sent) return;
    if (body.code === REDIS_UNAVAILABLE) {
      void reply.header('retry-after', String(REDIS_RETRY_AFTER_SECONDS));
      // Nothing of the session can be saved now: the answer must not try to.
      if (request.session) request.session.changed = false;
    }
    if (isApiRequest(request) || request.url === '/health') {
      void reply.status(body.statusCode).send(body);
      return;
    }
    if (!request.session) {
      // The session could not be read (Redis away): the error page for someone not known to be signed in.
      void reply
        .status(body.statusCode)
        .view('errors/error', { currentUser: null, navigation: [], ...body, title: body.error });
      return;
    }
    const form = body.code === 'FILE_TOO_LARGE' ? uploadFormPage(request) : null;
    if (form) {
      setFormState(request, { errors: { file: [body.message] }, values: fieldsBeforeRefusedFile(request) });
      void reply.redirect(form, 303);
      return;
    }
    if (body.statusCode === 401) {
      void reply.redirect(`/sign-in?next=${encodeURIComponent(request.url)}`, 303);
      return;
    }
    void reply
      .status(body.statusCode)
      .view('errors/error', { ...pageContext(request), ...body, title: body.error });
  }

  private toBody(exception: unknown, request: FastifyRequest): ErrorBody {
    if (exception instanceof ValidationFailedException) {
      return { ...this.body(400, 'Validation failed', 'VALIDATION_FAILED'), errors: exception.errors };
    }
    if (exception instanceof Refusal) {
      return {
        ...this.body(exception.status, exception.message, exception.code),
        ...(exception.field ? { field: exception.field } : {}),
        ...(exception.details ? { details: exception.details } : {}),
      };
    }
    // Nest keeps only the status and message of Fastify's errors: a 413 on a multipart request is a file too large.
    if (exception instanceof HttpException && exception.getStatus() === 413 && request.isMultipart()) {
      const limit = (request.routeOptions.config as { multipartOptions?: { limits?: { fileSize?: number } } })
        .multipartOptions?.limits?.fileSize;
      return {
        ...this.body(
          413,
          `The file is larger than this upload allows (${fileSize(limit ?? MAX_UPLOAD_BYTES)})`,
          'FILE_TOO_LARGE',
        ),
        field: 'file',
      };
    }
    if (exception instanceof HttpException) {
      const response = exception.getResponse();
      const raw = typeof response === 'string' ? response : (response as { message?: unknown }).message;
      const message = Array.isArray(raw) ? raw.join('; ') : typeof raw === 'string' ? raw : exception.message;
      return this.body(exception.getStatus(), message);
    }
    if (isRedisUnavailable(exception))
      return this.body(
        HttpStatus.SERVICE_UNAVAILABLE,
        `The service cannot reach its session store just now. Try again in ${REDIS_RETRY_AFTER_SECONDS} seconds.`,
        REDIS_UNAVAILABLE,
      );
    if (exception instanceof EntityNotFoundError)
      return this.body(HttpStatus.NOT_FOUND, 'The record was not found');
    if (exception instanceof QueryFailedError) {
      const code = (exception.driverError as { code?: string } | undefined)?.code ?? '';
      const known = PG_STATUS[code] ?? (code.startsWith('22') ? PG_DATA_EXCEPTION : undefined);
      if (known) return this.body(known[0], known[1]);
    }
    // Errors raised by Fastify itself (bad JSON, body too large, unsupported content type) carry their status.
    const statusCode = (exception as { statusCode?: unknown } | null)?.statusCode;
    if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
      return this.body(statusCode, (exception as Error).message);
    }
    return {
      ...this.body(500, `Something went wrong on our side. Quote error id ${request.id} if you report it.`),
      errorId: String(request.id),
    };
  }

  private body(statusCode: number, message: string, code?: string): ErrorBody {
    const error = STATUS_TEXT[statusCode] ?? 'Error';
    return { statusCode, error, code: code ?? error.toUpperCase().replaceAll(' ', '_'), message };
  }
}
