import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import { isRedisUnavailable, RedisClient } from 'src/common/redis.module';
import type { RequestSession, SessionData } from 'src/common/request-context';
import { APP_CONFIG, AppConfig } from 'src/config/app-config';

const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

/** However active, a session ends this long after sign-in. */
export const ABSOLUTE_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

/** A session before sign-in holds only a form's CSRF token or a message, so it lives half an hour and no more. */
export const ANONYMOUS_SESSION_TTL_SECONDS = 30 * 60;

// Reads a session and slides the expiry of a signed-in one, in one round trip; an anonymous one keeps its short life.
const LOAD_SESSION = `
local stored = redis.call('GET', KEYS[1])
if stored and cjson.decode(stored).userId then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return stored
`;

/**
 * Server-side sessions in Redis: the cookie holds only a random id, so any web process can serve any request and
 * signing out (or a password reset) really ends the session.
 */
@Injectable()
export class SessionService {
  readonly cookieName: string;
  private readonly ttlSeconds: number;

  constructor(
    private readonly redis: RedisClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    // The __Host- prefix makes browsers refuse the cookie unless it is Secure, host-only and for path /.
    this.cookieName = config.secureCookies ? '__Host-fpm_session' : 'fpm_session';
    this.ttlSeconds = config.SESSION_TTL_MINUTES * 60;
  }

  /** Reads the session, sliding a signed-in one's idle expiry; a session past its absolute limit is dropped. */
  async load(request: FastifyRequest): Promise<RequestSession> {
    const id = request.cookies[this.cookieName];
    if (id && SESSION_ID.test(id)) {
      const stored = await this.redis.eval(LOAD_SESSION, 1, sessionKey(id), this.ttlSeconds);
      if (typeof stored === 'string') {
        const data = JSON.parse(stored) as SessionData;
        if (!data.signedInAt || Date.now() - data.signedInAt < ABSOLUTE_LIFETIME_MS)
          return { id, data, changed: false };
        return { id, data: {}, changed: true };
      }
    }
    return { id: null, data: {}, changed: false };
  }

  /** Saves a changed session (or deletes an emptied one) and sets the cookie; an unchanged one is left as it is. */
  async commit(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const session = request.session;
    if (!session) return;
    if (!session.changed) return;
    if (Object.keys(session.data).length === 0) {
      if (session.id) await this.redis.del(sessionKey(session.id));
      reply.clearCookie(this.cookieName, { path: '/' });
      return;
    }
    session.id ??= randomBytes(32).toString('base64url');
    const ttl = session.data.userId ? this.ttlSeconds : ANONYMOUS_SESSION_TTL_SECONDS;
    const pipeline = this.redis.multi().set(sessionKey(session.id), JSON.stringify(session.data), 'EX', ttl);
    if (session.data.userId) {
      // The person's session list outlives every session in it, so endAllFor never misses one.
      pipeline
        .sadd(userSessionsKey(session.data.userId), session.id)
        .pexpire(userSessionsKey(session.data.userId), ABSOLUTE_LIFETIME_MS);
    }
    try {
      await pipeline.exec();
    } catch (error) {
      // A visitor not signed in loses nothing but a form's CSRF token or a message: the page (certificate
      // verification, the sign-in form) is still served while Redis is away, and its form asks for a reload later.
      if (!session.data.userId && isRedisUnavailable(error)) return;
      throw error;
    }
    reply.setCookie(this.cookieName, session.id, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: this.config.secureCookies,
    });
  }

  /** A new session id at sign-in defeats session fixation; the CSRF token is renewed with it. */
  async signIn(request: FastifyRequest, userId: string): Promise<void> {
    if (request.session.id) await this.redis.del(sessionKey(request.session.id));
    request.session = { id: null, data: { userId, signedInAt: Date.now() }, changed: true };
  }

  /** Signing out on one device signs the person out on every device, as someone who signs out expects. */
  async signOut(request: FastifyRequest): Promise<void> {
    const { id, data } = request.session;
    if (data.userId) await this.endAllFor(data.userId);
    if (id) await this.redis.del(sessionKey(id));
    // A message for the signed-out page gets a session of its own, never the old id.
    request.session = { id: null, data: {}, changed: true };
    request.user = null;
  }

  /** Ends every session of a person: at sign-out, after a password reset, and when their access changes. */
  async endAllFor(userId: string): Promise<void> {
    const ids = await this.redis.smembers(userSessionsKey(userId));
    if (ids.length > 0) await this.redis.del(...ids.map(sessionKey));
    await this.redis.del(userSessionsKey(userId));
  }
}

const sessionKey = (id: string) => `session:${id}`;
const userSessionsKey = (userId: string) => `user-sessions:${userId}`;
