import request from 'supertest';
import { linkIn } from './support/smtp-capture';
import { csrfTokenFrom, TEST_PASSWORD, TestApp } from './support/test-app';

describe('Authentication', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start();
  });

  afterAll(async () => {
    await t.close();
  });

  describe('sign-in through the API', () => {
    it('signs in with the right password, sets an HttpOnly SameSite=Lax cookie and answers /me', async () => {
      const user = await t.newUser(['trainee']);
      const agent = t.agent();
      const response = await agent
        .post('/api/v1/auth/login')
        .send({ email: user.email, password: TEST_PASSWORD })
        .expect(200);
      expect(response.body.user).toMatchObject({ id: user.id, email: user.email, roles: ['trainee'] });
      const cookie = String(response.headers['set-cookie']);
      expect(cookie).toMatch(/fpm_session=[\w-]{43}/);
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Lax/);
      expect(cookie).not.toMatch(/Secure/);
      const me = await agent.get('/api/v1/me').expect(200);
      expect(me.body).toMatchObject({ id: user.id, name: user.name, roles: ['trainee'] });
      expect(me.body.passwordHash).toBeUndefined();
    });

    it('accepts the e-mail address in any case', async () => {
      const user = await t.newUser(['trainee']);
      await t
        .agent()
        .post('/api/v1/auth/login')
        .send({ email: user.email.toUpperCase(), password: TEST_PASSWORD })
        .expect(200);
    });

    it('refuses a wrong password with 401 and the same message as an unknown e-mail', async () => {
      const user = await t.newUser(['trainee']);
      const wrong = await t
        .agent()
        .post('/api/v1/auth/login')
        .send({ email: user.email, password: 'not the password' })
        .expect(401);
      const unknown = await t
        .agent()
        .post('/api/v1/auth/login')
        .send({ email: 'nobody@example.org', password: 'whatever it is' })
        .expect(401);
      expect(wrong.body.message).toBe('The e-mail address or password is not right');
      expect(unknown.body.message).toBe(wrong.body.message);
      expect(wrong.headers['set-cookie']).toBeUndefined();
    });

    it('records sign-in success and failure in the audit log', async () => {
      const user = await t.newUser(['trainee']);
      await t
        .agent()
        .post('/api/v1/auth/login')
        .send({ email: user.email, password: 'wrong password!' })
        .expect(401);
      await t
        .agent()
        .post('/api/v1/auth/login')
        .send({ email: user.email, password: TEST_PASSWORD })
        .expect(200);
      const rows: Array<{ action: string }> = await t.dataSource.query(
        `SELECT action FROM audit_events WHERE subject_id = $1 AND action LIKE 'auth.%' ORDER BY id`,
        [user.id],
      );
      expect(rows.map((row) => row.action)).toEqual(['auth.sign_in_failed', 'auth.signed_in']);
    });

    it('ends the session on logout', async () => {
      const user = await t.newUser(['trainee']);
      const agent = await t.signedIn(user);
      await agent.post('/api/v1/auth/logout').send({}).expect(204);
      await agent.get('/api/v1/me').expect(401);
    });

    it('keeps the session in Redis, so another web process serves the same cookie', async () => {
      const user = await t.newUser(['trainee']);
      const response = await t
        .agent()
        .post('/api/v1/auth/login')
        .send({ email: user.email, password: TEST_PASSWORD })
        .expect(200);
      const cookie = String(response.headers['set-cookie']).split(';')[0];
      expect(await t.redis.exists(`session:${cookie.split('=')[1]}`)).toBe(1);
      const second = await t.secondWebProcess();
      try {
        const me = await request(second.getHttpServer()).get('/api/v1/me').set('cookie', cookie).expect(200);
        expect(me.body.id).toBe(user.id);
      } finally {
        await second.close();
      }
    });
  });

  describe('sign-in pages', () => {
    it('signs in through the form and lands on the dashboard for the role', async () => {
      const user = await t.newUser(['trainee']);
      const agent = t.agent();
      const csrf = await csrfTokenFrom(agent, '/sign-in');
      await agent
        .post('/sign-in')
        .type('form')
        .send({ _csrf: csrf, email: user.email, password: TEST_PASSWORD, next: '/' })
        .expect(303)
        .expect('location', '/');
      const dashboard = await agent.get('/').expect(200);
      expect(dashboard.text).toContain(`Welcome, ${user.name}`);
      expect(dashboard.text).toContain('<h2 class="govuk-heading-m">Trainee</h2>');
      expect(dashboard.text).not.toContain('Invite a user');
    });

    it('shows a wrong password in the error summary and beside the field, keeping the e-mail typed', async () => {
      const user = await t.newUser(['trainee']);
      const agent = t.agent();
      const csrf = await csrfTokenFrom(agent, '/sign-in');
      await agent
        .post('/sign-in')
        .type('form')
        .send({ _csrf: csrf, email: user.email, password: 'wrong one' })
        .expect(303);
      const page = await agent.get('/sign-in').expect(200);
      expect(page.text).toContain('govuk-error-summary');
      expect(page.text).toContain('<a href="#email">The e-mail address or password is not right</a>');
      expect(page.text).toContain('id="email-error"');
      expect(page.text).toContain(`value="${user.email}"`);
      expect(page.text).toMatch(/<title>Error: Sign in/);
    });

    it('sends a signed-out visitor to the sign-in page and back afterwards, only within the site', async () => {
      const agent = t.agent();
      await agent.get('/admin/users').expect(303).expect('location', '/sign-in?next=%2Fadmin%2Fusers');
      const page = await agent.get('/sign-in?next=//evil.example/').expect(200);
      expect(page.text).toContain('name="next" value="/"');
    });
    it.each([
      ['a tab', '/\t/evil.example', '/'],
      ['a backslash', '/\\evil.example', '/'],
      ['a line break', '/\n/evil.example', '/'],
      ['a line break inside a path', '/admin/\nusers', '/admin/users'],
    ])(
      'after signing in with %s in next, stays on this site and answers 303',
      async (_name, next, location) => {
        const user = await t.newUser(['admin']);
        const agent = t.agent();
        const csrf = await csrfTokenFrom(agent, '/sign-in');
        await agent
          .post('/sign-in')
          .type('form')
          .send({ _csrf: csrf, email: user.email, password: TEST_PASSWORD, next })
          .expect(303)
          .expect('location', location);
      },
    );
  });

  describe('lockout', () => {
    it('slows and then locks an account after five failures, shows the lock to admins, who can lift it', async () => {
      const user = await t.newUser(['trainee']);
      const admin = await t.newUser(['admin']);
      const adminAgent = await t.signedIn(admin);
      for (let attempt = 1; attempt <= 4; attempt++) {
        await t
          .agent()
          .post('/api/v1/auth/login')
          .send({ email: user.email, password: 'wrong password' })
          .expect(401);
      }
      const fifth = await t
        .agent()
        .post('/api/v1/auth/login')
        .send({ email: user.email, password: 'wrong password' })
        .expect(429);
      expect(fifth.body.message).toMatch(/Too many failed sign-in attempts/);

      const locked = await t
        .agent()
        .post('/api/v1/auth/login')
        .send({ email: user.email, password: TEST_PASSWORD })
        .expect(429);
      expect(locked.body.details.retryAfterSeconds).toBeGreaterThan(800);

      const locks = await adminAgent.get('/api/v1/auth/sign-in-locks').expect(200);
      expect(locks.body).toEqual([expect.objectContaining({ kind: 'account', value: user.email })]);
      const page = await adminAgent.get('/admin/sign-in-locks').expect(200);
      expect(page.text).toContain(user.email);

      await adminAgent
        .delete(`/api/v1/auth/sign-in-locks/account/${encodeURIComponent(user.email)}`)
        .expect(204);
      await t
        .agent()
        .post('/api/v1/auth/login')
        .send({ email: user.email, password: TEST_PASSWORD })
        .expect(200);
      const audit: Array<{ action: string }> = await t.dataSource.query(
        `SELECT action FROM audit_events WHERE subject_id = $1 AND action IN ('auth.locked', 'auth.lock_lifted') ORDER BY id`,
        [user.email],
      );
      expect(audit.map((row) => row.action)).toEqual(['auth.locked', 'auth.lock_lifted']);
    });

    const login = (app: TestApp, email: string, password: string) =>
      app.agent().post('/api/v1/auth/login').send({ email, password });
    const wrongPasswordsChecked = async (app: TestApp, userId?: string) => {
      const [row]: Array<{ count: string }> = await app.dataSource.query(
        `SELECT count(*) FROM audit_events
          WHERE action = 'auth.sign_in_failed' AND ($1::uuid IS NULL OR subject_id = $1::text)`,
        [userId ?? null],
      );
      return Number(row.count);
    };

    it('checks at most five wrong passwords for an account however many arrive at once, and then refuses the right one', async () => {
      const user = await t.newUser(['trainee']);
      const burst = Array.from({ length: 50 }, (_, i) =>
        login(t, user.email, i === 25 ? TEST_PASSWORD : `wrong password ${i}`),
      );
      const statuses = (await Promise.all(burst)).map((response) => response.status);
      expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(44);
      expect(await wrongPasswordsChecked(t, user.id)).toBeLessThanOrEqual(5);
      if (!statuses.includes(200)) await login(t, user.email, TEST_PASSWORD).expect(429);
      await t.liftSignInLocks();
    });

    it('locks the account after a parallel burst of wrong passwords, refusing even the right one', async () => {
      const user = await t.newUser(['trainee']);
      await Promise.all(Array.from({ length: 50 }, (_, i) => login(t, user.email, `wrong password ${i}`)));
      expect(await wrongPasswordsChecked(t, user.id)).toBe(5);
      await login(t, user.email, TEST_PASSWORD).expect(429);
      await t.liftSignInLocks();
    });

    it('checks at most twenty passwords from one address however many accounts are tried at once', async () => {
      const other = await TestApp.start();
      try {
        const responses = await Promise.all(
          Array.from({ length: 50 }, (_, i) => login(other, `nobody${i}@example.org`, 'guess guess')),
        );
        expect(responses.filter((response) => response.status === 429).length).toBeGreaterThanOrEqual(30);
        expect(await wrongPasswordsChecked(other)).toBeLessThanOrEqual(20);
      } finally {
        await other.close();
      }
    });

    it('lets a training room of 40 people sign in from one address, ten at a time', async () => {
      const room = await Promise.all(Array.from({ length: 40 }, () => t.newUser(['trainee'])));
      for (let start = 0; start < room.length; start += 10) {
        const batch = room.slice(start, start + 10);
        const responses = await Promise.all(batch.map((user) => login(t, user.email, TEST_PASSWORD)));
        expect(responses.map((response) => response.status)).toEqual(batch.map(() => 200));
      }
    });

    it('locks a network address after twenty failures across accounts', async () => {
      const other = await TestApp.start();
      try {
        for (let attempt = 1; attempt <= 19; attempt++) {
          await other
            .agent()
            .post('/api/v1/auth/login')
            .send({ email: `nobody${attempt}@example.org`, password: 'guess guess' })
            .expect(401);
        }
        await other
          .agent()
          .post('/api/v1/auth/login')
          .send({ email: 'nobody20@example.org', password: 'guess guess' })
          .expect(429);
        const user = await other.newUser(['trainee']);
        await other
          .agent()
          .post('/api/v1/auth/login')
          .send({ email: user.email, password: TEST_PASSWORD })
          .expect(429);
      } finally {
        await other.close();
      }
    });

    it('waits longer after each failure beyond the second when slowing is on', async () => {
      const slow = await TestApp.start({ LOGIN_SLOWDOWN_MS: '150' });
      try {
        const user = await slow.newUser(['trainee']);
        const timings: number[] = [];
        for (let attempt = 1; attempt <= 4; attempt++) {
          const started = Date.now();
          await slow
            .agent()
            .post('/api/v1/auth/login')
            .send({ email: user.email, password: 'wrong password' })
            .expect(401);
          timings.push(Date.now() - started);
        }
        expect(timings[2]).toBeGreaterThanOrEqual(150);
        expect(timings[3]).toBeGreaterThanOrEqual(300);
      } finally {
        await slow.close();
      }
    });
  });

  describe('invitation', () => {
    it('lets an invited person set a password from the e-mailed link, once, and then sign in', async () => {
      const admin = await t.newUser(['admin']);
      const adminAgent = await t.signedIn(admin);
      const created = await adminAgent
        .post('/api/v1/users')
        .send({
          email: 'new.starter@example.org',
          name: 'New Starter',
          roles: ['trainee'],
          profession: 'health_visitor',
        })
        .expect(201);
      expect(created.body).toMatchObject({ status: 'invited', roles: ['trainee'] });

      const mail = await t.smtp.waitFor('new.starter@example.org');
      expect(mail.subject).toBe('You have been invited to FPM Training');
      expect(mail.text).toContain(`${admin.name} has invited you`);
      expect(mail.text).toContain('expires in 7 days');
      const link = linkIn(mail, 'http://localhost:3000/accept-invitation?token=');
      const token = new URL(link).searchParams.get('token')!;

      const invitee = t.agent();
      const page = await invitee.get(`/accept-invitation?token=${token}`).expect(200);
      expect(page.text).toContain('Set up your account');
      const csrf = page.text.match(/name="_csrf" value="([^"]+)"/)![1];
      await invitee
        .post('/accept-invitation')
        .type('form')
        .send({ _csrf: csrf, token, password: 'a long new password', confirmPassword: 'a long new password' })
        .expect(303)
        .expect('location', '/');
      const me = await invitee.get('/api/v1/me').expect(200);
      expect(me.body).toMatchObject({ email: 'new.starter@example.org', status: 'active' });

      await t
        .agent()
        .post('/api/v1/auth/accept-invitation')
        .send({ token, password: 'another password!' })
        .expect(400);
      await t
        .agent()
        .post('/api/v1/auth/login')
        .send({ email: 'new.starter@example.org', password: 'a long new password' })
        .expect(200);
      const audit = await t.dataSource.query(
        `SELECT 1 FROM audit_events WHERE action = 'user.invitation_accepted' AND subject_id = $1`,
        [created.body.id],
      );
      expect(audit).toHaveLength(1);
    });

    it('refuses an expired invitation link', async () => {
      const admin = await t.newUser(['admin']);
      const adminAgent = await t.signedIn(admin);
      await adminAgent
        .post('/api/v1/users')
        .send({ email: 'late@example.org', name: 'Late Comer', roles: ['trainee'] })
        .expect(201);
      const token = new URL(
        linkIn(await t.smtp.waitFor('late@example.org'), 'http://localhost:3000/accept-invitation?token='),
      ).searchParams.get('token')!;
      await t.dataSource.query(
        `UPDATE user_tokens SET expires_at = now() - interval '1 minute' WHERE purpose = 'invitation'`,
      );
      const refused = await t
        .agent()
        .post('/api/v1/auth/accept-invitation')
        .send({ token, password: 'a long new password' })
        .expect(400);
      expect(refused.body.message).toBe('This link has expired or has already been used. Ask for a new one.');
    });

    it('refuses mismatched passwords on the form without losing the link', async () => {
      const agent = t.agent();
      const csrf = await csrfTokenFrom(agent, '/accept-invitation?token=abcdefghijklmnopqrstuvwxyz');
      await agent
        .post('/accept-invitation')
        .type('form')
        .send({
          _csrf: csrf,
          token: 'abcdefghijklmnopqrstuvwxyz',
          password: 'a long new password',
          confirmPassword: 'different',
        })
        .expect(303)
        .expect('location', '/accept-invitation?token=abcdefghijklmnopqrstuvwxyz');
      const page = await agent.get('/accept-invitation?token=abcdefghijklmnopqrstuvwxyz').expect(200);
      expect(page.text).toContain('The passwords do not match');
    });
  });

  describe('password reset', () => {
    it('sends a single-use link that changes the password and ends other sessions', async () => {
      const user = await t.newUser(['facilitator']);
      const otherDevice = await t.signedIn(user);
      const answer = await t
        .agent()
        .post('/api/v1/auth/password-reset')
        .send({ email: user.email })
        .expect(202);

      const mail = await t.smtp.waitFor(user.email);
      expect(mail.subject).toBe('Reset your FPM Training password');
      const token = new URL(linkIn(mail, 'http://localhost:3000/reset-password?token=')).searchParams.get(
        'token',
      )!;
      await t
        .agent()
        .post('/api/v1/auth/password-reset/confirm')
        .send({ token, password: 'my brand new password' })
        .expect(200);

      await t
        .agent()
        .post('/api/v1/auth/login')
        .send({ email: user.email, password: TEST_PASSWORD })
        .expect(401);
      await t
        .agent()
        .post('/api/v1/auth/login')
        .send({ email: user.email, password: 'my brand new password' })
        .expect(200);
      await otherDevice.get('/api/v1/me').expect(401);
      await t
        .agent()
        .post('/api/v1/auth/password-reset/confirm')
        .send({ token, password: 'yet another password' })
        .expect(400);

      const unknown = await t
        .agent()
        .post('/api/v1/auth/password-reset')
        .send({ email: 'nobody@example.org' })
        .expect(202);
      expect(unknown.body).toEqual(answer.body);
    });

    it('gives an unknown address the same answer on the page and sends nothing', async () => {
      const agent = t.agent();
      const before = t.smtp.messages.length;
      const csrf = await csrfTokenFrom(agent, '/forgot-password');
      await agent
        .post('/forgot-password')
        .type('form')
        .send({ _csrf: csrf, email: 'ghost@example.org' })
        .expect(303)
        .expect('location', '/sign-in');
      const page = await agent.get('/sign-in').expect(200);
      expect(page.text).toContain('If an account uses that address, we have sent it a link');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(t.smtp.messages.length).toBe(before);
    });

    /** Asks for a reset link for the person, as the form does, and returns the token the e-mail carries. */
    async function resetToken(email: string): Promise<string> {
      const mails = () => t.smtp.messages.filter((message) => message.to.includes(email));
      const before = mails().length;
      await t.agent().post('/api/v1/auth/password-reset').send({ email }).expect(202);
      while (mails().length === before) await new Promise((resolve) => setTimeout(resolve, 50));
      const link = linkIn(mails()[before], 'http://localhost:3000/reset-password?token=');
      return new URL(link).searchParams.get('token')!;
    }

    it.each([
      ['newer', 1, 0],
      ['older', 0, 1],
    ])('voids the other outstanding reset link once the %s one is used', async (_which, used, other) => {
      const user = await t.newUser(['trainee']);
      const tokens = [await resetToken(user.email), await resetToken(user.email)];
      const confirm = (token: string, password: string) =>
        t.agent().post('/api/v1/auth/password-reset/confirm').send({ token, password });
      await confirm(tokens[used], 'the password chosen first').expect(200);
      const refused = await confirm(tokens[other], 'a password chosen later').expect(400);
      expect(refused.body.message).toBe('This link has expired or has already been used. Ask for a new one.');
      await t
        .agent()
        .post('/api/v1/auth/login')
        .send({ email: user.email, password: 'the password chosen first' })
        .expect(200);
    });

    it('refuses a short new password with a message for the field', async () => {
      const response = await t
        .agent()
        .post('/api/v1/auth/password-reset/confirm')
        .send({ token: 'abcdefghijklmnopqrstuvwxyz', password: 'short' })
        .expect(400);
      expect(response.body.errors).toEqual({ password: ['Password must be at least 12 characters'] });
    });
  });
});
