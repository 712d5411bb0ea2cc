import { MATERIAL_EDITION_UPLOAD, MAX_UPLOAD_BYTES } from 'src/common/uploads';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import { Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { parse as parseQueryString } from 'node:querystring';
import type { Logger } from 'pino';
import { SessionService } from 'src/auth/session.service';
import { PinoNestLogger } from 'src/common/logger';
import { PROJECT_ROOT } from 'src/common/paths';
import { REQUEST_REDIS_OPTIONS, reportOutages } from 'src/common/redis.module';
import { RateLimitName, rateLimitOptions, sharedCountStore, tooManyRequests } from 'src/common/rate-limits';
import { requestMetaStorage } from 'src/common/request-meta';
import { jsonDepthExceeds, MAX_JSON_DEPTH } from 'src/common/input-characters';
import { InputValidationPipe } from 'src/common/validation';
import { createHandlebars, VIEWS_DIR } from 'src/common/view-engine';
import type { AppConfig } from 'src/config/app-config';
import { UsersService } from 'src/users/users.service';

/** A list of a few hundred people is a few tens of kilobytes; this leaves room without inviting abuse. */

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;
const STATIC_PREFIXES = ['/assets/', '/public/', '/favicon.ico'];
const isStatic = (url: string) => STATIC_PREFIXES.some((prefix) => url.startsWith(prefix));

/** Builds the HTTP application around a root module: the web process, the local all-in-one run and the tests. */
export async function createWebApp(
  rootModule: unknown,
  config: AppConfig,
  logger: Logger,
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    trustProxy: config.TRUST_PROXY,
    genReqId: (request: { headers: Record<string, string | string[] | undefined> }) => {
      const header = request.headers['x-request-id'];
      return typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(rootModule as never, adapter, {
    logger: new PinoNestLogger(logger),
    bufferLogs: true,
  });
  registerBodyParsers(adapter);
  // Forms that send a file (a list of people as CSV): fields arrive as the body, the file as a Buffer in it.
  await app.register(fastifyMultipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 20, parts: 21 },
  });
  // Public and sign-in routes name a limit (@RateLimited('signIn')); the name becomes the limit configured here,
  // before the plugin reads the route. Counts are kept in Redis so that every web process shares them.
  adapter.getInstance().addHook('onRoute', (route) => {
    const name = (route.config as { rateLimitName?: RateLimitName } | undefined)?.rateLimitName;
    if (name) route.config = { ...route.config, rateLimit: rateLimitOptions(name, config) };
  });
  const rateLimitRedis = new Redis(config.REDIS_URL, {
    ...REQUEST_REDIS_OPTIONS,
    keyPrefix: `${config.REDIS_PREFIX}:ratelimit:`,
  });
  reportOutages(rateLimitRedis, new NestLogger('RateLimits'), 'rate limits count nothing');
  await app.register(fastifyRateLimit, {
    global: false,
    store: sharedCountStore(rateLimitRedis),
    errorResponseBuilder: tooManyRequests,
    // Without Redis nothing is counted: public routes that need no Redis (verification, health) keep answering.
    skipOnError: true,
  });
  adapter.getInstance().addHook('onClose', async () => {
    rateLimitRedis.disconnect();
  });
  await app.register(fastifyCookie);
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        objectSrc: ["'none'"],
        upgradeInsecureRequests: config.secureCookies ? [] : null,
      },
    },
    strictTransportSecurity: config.secureCookies ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  });
  const govuk = join(PROJECT_ROOT, 'node_modules', 'govuk-frontend', 'dist', 'govuk');
  await app.register(fastifyStatic, {
    root: join(govuk, 'assets'),
    prefix: '/assets/',
    decorateReply: false,
  });
  await app.register(fastifyStatic, {
    root: join(PROJECT_ROOT, 'public'),
    prefix: '/public/',
    decorateReply: false,
  });
  await app.register(fastifyStatic, {
    root: govuk,
    prefix: '/public/govuk/',
    allowedPath: (path) => path.startsWith('/govuk-frontend.min.'),
    decorateReply: false,
  });

  app.setViewEngine({
    engine: { handlebars: createHandlebars() },
    templates: VIEWS_DIR,
    layout: 'layouts/main',
    production: config.NODE_ENV === 'production',
  });
  app.useGlobalPipes(new InputValidationPipe());

  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRoute', (route) => {
    // A manual's PDF may be far larger than any other file the app takes: its route alone has the larger limit.
    if ((route.config as { upload?: string } | undefined)?.upload === MATERIAL_EDITION_UPLOAD)
      route.config = {
        ...route.config,
        multipartOptions: { limits: { fileSize: config.MATERIAL_MAX_BYTES } },
      };
    const handler = route.handler;
    // Nest's handlers resolve as soon as they have called reply.send() or reply.redirect(), while the session
    // commit (an async onSend hook) is still writing to Redis; Fastify then saw an unsent reply and sent it a second
    // time ("Reply was already sent"). Resolving with the reply itself waits until it is really on the wire.
    route.handler = async function (this: typeof fastify, request, reply) {
      const payload: unknown = await handler.call(this, request, reply);
      return payload === undefined ? reply : payload;
    };
  });
  const sessions = app.get(SessionService);
  const users = app.get(UsersService);
  fastify.addHook('onRequest', (request, _reply, done) => {
    requestMetaStorage.run({ ipAddress: request.ip, requestId: String(request.id) }, done);
  });
  fastify.addHook('onRequest', async (request) => {
    request.user = null;
    if (isStatic(request.url)) {
      request.session = { id: null, data: {}, changed: false };
      return;
    }
    request.session = await sessions.load(request);
    const userId = request.session.data.userId;
    if (userId) {
      request.user = await users.findAuthUser(userId);
      // A disabled account's session ends at its next request.
      if (!request.user) request.session = { id: request.session.id, data: {}, changed: true };
    }
  });
  fastify.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
    // Pages and API answers are made for one person (and carry CSRF tokens): no browser or proxy may keep them.
    if (!isStatic(request.url) && !reply.hasHeader('cache-control'))
      void reply.header('cache-control', 'no-store');
    if (request.url.startsWith('/api/docs')) {
      // Swagger UI needs inline styles; nothing else is served under this CSP.
      void reply.header(
        'content-security-policy',
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'",
      );
    }
    if (!isStatic(request.url)) await sessions.commit(request, reply);
  });

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('FPM Training Platform API')
      .setDescription(
        'JSON API. Sign in with POST /api/v1/auth/login; the session cookie authorises later calls.',
      )
      .setVersion('1')
      .addCookieAuth(sessions.cookieName)
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document);
  app.enableShutdownHooks();
  return app;
}

/** JSON too deeply nested is refused before parsing; forms are parsed as flat fields, repeated ones as lists. */
function registerBodyParsers(adapter: FastifyAdapter): void {
  const fastify = adapter.getInstance();
  const limits = { bodyLimit: fastify.initialConfig.bodyLimit };
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  adapter.useBodyParser('application/json', false, limits, (request, body, done) => {
    const text = body.toString('utf8');
    if (jsonDepthExceeds(text)) {
      const error = Object.assign(new Error(`The JSON body nests more than ${MAX_JSON_DEPTH} levels deep`), {
        statusCode: 400,
      });
      done(error, undefined);
      return;
    }
    void parseJson(request, text, done);
  });
  adapter.useBodyParser('application/x-www-form-urlencoded', false, limits, (_request, body, done) => {
    done(null, parseQueryString(body.toString('utf8')));
  });
}
