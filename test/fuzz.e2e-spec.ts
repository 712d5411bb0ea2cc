import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import TestAgent from 'supertest/lib/agent';
import { cohortSetup, createCohort } from './support/cohort-factory';
import { listRoutes, Route } from './support/routes';
import { TestApp, TestUser } from './support/test-app';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

// The classes of bad input that once reached a 500. Every route gets every class, in every field.
const DEEP_JSON = '['.repeat(50_000) + ']'.repeat(50_000);
const VALUE_CLASSES: Record<string, unknown> = {
  nul: 'a\u0000b',
  control: 'a\u0008b\u001bc',
  loneSurrogate: 'x\ud800y',
  null: null,
  weekDate: '2031-W43-2T18:00:00Z',
  ordinalDate: '2031-296T18:00:00Z',
  noOffset: '2031-10-21T18:00:00',
  farFuture: '9999-12-31T23:00:00Z',
  true: true,
  numericText: '7',
  empty: '',
  blank: '   ',
  rtlOverride: 'Sam \u202eetaP',
  carriageReturn: 'line\rBEGIN:VEVENT',
  long: 'x'.repeat(20_000),
  negative: -1,
  huge: 1e308,
  array: ['a\u0000'],
  object: { nested: 'a\u0000' },
};
// What an HTML form or a query string can carry (text only; a lone surrogate cannot be encoded).
const TEXT_CLASSES: Record<string, string> = {
  nul: '%00',
  control: 'a%08b%1Bc',
  invalidUtf8: '%ED%A0%80',
  weekDate: '2031-W43-2T18%3A00%3A00Z',
  empty: '',
  blank: '%20%20',
  rtlOverride: 'Sam%E2%80%AEetaP',
  lineBreaks: 'a%0D%0Ab%0Dc',
  long: 'x'.repeat(20_000),
  numberish: '1e999',
  negative: '-1',
};
// Route parameters get what a crafted link could hold.
const PARAM_CLASSES = ['%00', 'A%ED%A0%80', '..', 'x'.repeat(300), '00000000-0000-4000-8000-00000000000G'];

interface Finding {
  request: string;
  status: number;
  body: string;
}

interface OpenApiOperation {
  parameters?: Array<{ name: string; in: string }>;
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}
interface Schema {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  example?: unknown;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
}

describe('Bad input on every route', () => {
  let t: TestApp;
  let agent: TestAgent;
  let everyone: TestUser;
  let params: Record<string, string>;
  let validBodies: Record<string, unknown[]>;
  const findings: Finding[] = [];
  let requests = 0;

  beforeAll(async () => {
    t = await TestApp.start();
    const setup = await cohortSetup(t);
    everyone = await t.newUser(['admin', 'training_lead', 'facilitator', 'trainee', 'commissioner'], {
      organisationId: setup.organisationId,
    });
    const trainee = await t.newUser(['trainee'], { organisationId: setup.organisationId });
    const otherTrainee = await t.newUser(['trainee'], { organisationId: setup.organisationId });
    agent = await t.signedIn(everyone);
    await agent
      .post(`/api/v1/users/${everyone.id}/accreditations`)
      .send({ courseCode: 'foundation', grantedOn: '2024-01-01', expiresOn: '2030-01-01' })
      .expect(201);
    const cohort = await createCohort(setup, {
      facilitatorIds: [...setup.facilitators.map((f) => f.id), everyone.id],
    });
    await setup.leadAgent.patch(`/api/v1/cohorts/${cohort.id}`).send({ status: 'open' }).expect(200);
    const enrolment = await setup.leadAgent
      .post(`/api/v1/cohorts/${cohort.id}/enrolments`)
      .send({ traineeId: trainee.id })
      .expect(201);
    const signOff = await agent
      .post(`/api/v1/enrolments/${enrolment.body.id}/competencies/helper-quality.empathy/sign-offs`)
      .send({ outcome: 'met', comment: 'Seen' })
      .expect(201);
    params = {
      users: trainee.id,
      cohorts: cohort.id,
      sessions: cohort.sessions[0].id,
      enrolments: enrolment.body.id,
      areas: setup.areaId,
      organisations: setup.organisationId,
      facilitators: setup.facilitators[0].id,
      courses: 'foundation',
      competencies: 'helper-quality.respect',
      'competency-sign-offs': signOff.body.id,
      'sign-in-locks': 'account',
      mail: '00000000-0000-4000-8000-000000000001',
      calendar: 'nobody.ics',
    };
    const at = (days: number, hours = 0) => new Date(Date.now() + days * DAY + hours * HOUR).toISOString();
    const session = { startsAt: at(60), endsAt: at(60, 2), title: 'Extra session', venue: 'Room 9' };
    const cohortFields = {
      courseCode: 'foundation',
      title: 'Fuzzed cohort',
      organisationId: setup.organisationId,
      areaId: setup.areaId,
      capacity: 16,
      deliveryMode: 'in_person',
      venue: 'Room 8',
      facilitatorIds: [],
    };
    const courses = (await agent.get('/api/v1/courses').expect(200)).body as Array<{
      courseCode: string;
      rules: unknown;
    }>;
    const { rules } = courses.find((course) => course.courseCode === 'foundation')!;
    const person = { name: 'Sam Patel', roles: ['trainee'], organisationId: setup.organisationId };
    const aPassword = { token: 'a'.repeat(43), password: 'a long enough password' };
    // Valid bodies, so that each class of bad input is the only thing wrong and reaches as deep as it can.
    validBodies = {
      'POST /api/v1/users': [{ ...person, email: 'new.person@example.org', profession: 'social_worker' }],
      'PATCH /api/v1/users/:id': [{ ...person, profession: 'social_worker' }],
      'POST /api/v1/courses/:code/versions': [{ title: 'Foundation (fuzzed)', rules }],
      'POST /api/v1/cohorts': [
        {
          ...cohortFields,
          schedule: { firstStartsAt: at(90), durationMinutes: 120, count: 2, intervalWeeks: 1 },
        },
        { ...cohortFields, sessions: [session] },
      ],
      'PATCH /api/v1/cohorts/:id': [
        { title: 'Renamed', capacity: 16, deliveryMode: 'in_person', venue: 'Room 7' },
      ],
      'POST /api/v1/cohorts/:id/sessions': [{ sessions: [session] }],
      'POST /api/v1/cohorts/:id/facilitators': [{ userId: setup.facilitators[1].id, role: 'co' }],
      'POST /api/v1/cohorts/:id/enrolments': [{ traineeId: otherTrainee.id }],
      'PATCH /api/v1/sessions/:id': [
        { startsAt: at(61), endsAt: at(61, 2), venue: 'Room 6', title: 'Moved' },
      ],
      'POST /api/v1/enrolments/:id/competencies/:code/sign-offs': [
        { outcome: 'not_yet', evidenceEntryIds: [], comment: 'Not yet seen' },
      ],
      'POST /api/v1/auth/login': [{ email: 'nobody@example.org', password: 'not the password' }],
      'POST /api/v1/auth/password-reset': [{ email: 'nobody@example.org' }],
      'POST /api/v1/auth/password-reset/confirm': [aPassword],
      'POST /api/v1/auth/accept-invitation': [aPassword],
    };
  });

  afterAll(async () => {
    await t?.close();
  });

  /** Fills `:id`-style parameters with real records, chosen by the path segment before each. */
  function concrete(path: string, replace?: { index: number; value: string }): string {
    const segments = path.split('/');
    let index = 0;
    return segments
      .map((segment, i) => {
        if (!segment.startsWith(':')) return segment;
        const value = replace?.index === index++ ? replace.value : (params[segments[i - 1]] ?? 'x');
        return segment === ':file' ? `${value}` : value;
      })
      .join('/');
  }

  async function send(
    method: Route['method'],
    url: string,
    body?: { json?: unknown; raw?: string; form?: string },
  ): Promise<void> {
    let request = agent[method.toLowerCase() as 'get'](url);
    if (body?.raw !== undefined) request = request.set('content-type', 'application/json').send(body.raw);
    else if (body?.form !== undefined)
      request = request.set('content-type', 'application/x-www-form-urlencoded').send(body.form);
    else if (body && 'json' in body)
      request = request.set('content-type', 'application/json').send(JSON.stringify(body.json));
    const response = await request.redirects(0).ok(() => true);
    requests++;
    if (response.status >= 500) {
      findings.push({
        request: `${method} ${url.slice(0, 200)} ${JSON.stringify(body ?? {}).slice(0, 200)}`,
        status: response.status,
        body: response.text.slice(0, 300),
      });
    }
    // Fuzzing sign-in trips the lockout of this address; lift it so the next request can sign in again.
    if (url.includes('/auth/login') || url.includes('/sign-in')) await t.liftSignInLocks();
    if (response.status === 401 || url.endsWith('/auth/logout')) agent = await t.signedIn(everyone);
  }

  it('answers every JSON route with 4xx, never 5xx, for each class of bad input in each field', async () => {
    const document = SwaggerModule.createDocument(t.app, new DocumentBuilder().build());
    const schemas = (document.components?.schemas ?? {}) as Record<string, Schema>;
    const resolve = (schema: Schema | undefined): Schema =>
      schema?.$ref ? resolve(schemas[schema.$ref.split('/').pop()!]) : (schema ?? {});
    const sample = (schema: Schema, name = ''): unknown => {
      const resolved = resolve(schema);
      if (params[`${name.replace(/Ids?$/, '')}s`]) return params[`${name.replace(/Ids?$/, '')}s`];
      if (resolved.example !== undefined) return resolved.example;
      if (resolved.enum) return resolved.enum[0];
      if (resolved.type === 'array') return [sample(resolved.items ?? {}, name)];
      if (resolved.type === 'object' || resolved.properties)
        return Object.fromEntries(
          Object.entries(resolved.properties ?? {}).map(([key, value]) => [key, sample(value, key)]),
        );
      if (resolved.type === 'integer' || resolved.type === 'number') return 1;
      if (resolved.type === 'boolean') return false;
      return 'text';
    };

    for (const [openApiPath, operations] of Object.entries(document.paths)) {
      const path = openApiPath.replace(/\{(\w+)\}/g, ':$1');
      for (const [verb, operation] of Object.entries(operations as Record<string, OpenApiOperation>)) {
        const method = verb.toUpperCase() as Route['method'];
        if (!['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(method)) continue;
        const url = concrete(path);
        const paramCount = (path.match(/:\w+/g) ?? []).length;
        for (let index = 0; index < paramCount; index++)
          for (const value of PARAM_CLASSES) await send(method, concrete(path, { index, value }));
        for (const query of (operation.parameters ?? []).filter((p) => p.in === 'query')) {
          for (const value of Object.values(TEXT_CLASSES))
            await send(method, `${url}?${query.name}=${value}`);
          await send(method, `${url}?${query.name}=a&${query.name}=b`);
        }
        const schema = operation.requestBody?.content?.['application/json']?.schema;
        if (!schema) continue;
        for (const base of validBodies[`${method} ${path}`] ?? [sample(schema)]) {
          await send(method, url, { raw: DEEP_JSON });
          for (const whole of [{}, null, [], 'text', 7, { '\u0000': 1 }])
            await send(method, url, { json: whole });
          const item = Array.isArray(base)
            ? (base[0] as Record<string, unknown>)
            : (base as Record<string, unknown>);
          const wrap = (value: Record<string, unknown>) => (Array.isArray(base) ? [value] : value);
          for (const field of Object.keys(item ?? {})) {
            for (const value of Object.values(VALUE_CLASSES)) {
              await send(method, url, { json: wrap({ ...item, [field]: value }) });
              const nested = item[field];
              if (Array.isArray(nested) && typeof nested[0] === 'object' && nested[0] !== null) {
                for (const inner of Object.keys(nested[0] as object))
                  await send(method, url, {
                    json: wrap({ ...item, [field]: [{ ...(nested[0] as object), [inner]: value }] }),
                  });
              } else if (typeof nested === 'object' && nested !== null && !Array.isArray(nested)) {
                for (const inner of Object.keys(nested))
                  await send(method, url, {
                    json: wrap({ ...item, [field]: { ...nested, [inner]: value } }),
                  });
              }
            }
          }
        }
      }
    }
    expect(requests).toBeGreaterThan(2000);
    expect(findings).toEqual([]);
  }, 600_000);

  it('answers every page and form with 4xx or a form error, never 5xx, for each class of bad input', async () => {
    const routes = listRoutes(t.app).filter((route) => !route.path.startsWith('/api/'));
    const pages = routes.filter((route) => route.method === 'GET');
    const posts = routes.filter((route) => route.method === 'POST');
    const forms = new Map<string, { csrf: string; fields: Record<string, string> }>();
    for (const page of pages) {
      const url = concrete(page.path);
      for (const key of ['q', 'status', 'page', 'next', 'token', 'areaId', 'course', 'action', 'from', 'to'])
        for (const value of Object.values(TEXT_CLASSES)) await send('GET', `${url}?${key}=${value}`);
      const response = await agent
        .get(url)
        .redirects(0)
        .ok(() => true);
      for (const form of response.text.matchAll(/<form[^>]*method="post"[^>]*>([\s\S]*?)<\/form>/g)) {
        const action = /action="([^"]*)"/.exec(form[0])?.[1] ?? url;
        const fields: Record<string, string> = {};
        for (const input of form[1].matchAll(/<(input|textarea|select)\b[^>]*name="([^"]+)"[^>]*>/g)) {
          const value = /value="([^"]*)"/.exec(input[0])?.[1] ?? '';
          fields[input[2]] ??= value;
        }
        const csrf = fields._csrf ?? '';
        delete fields._csrf;
        forms.set(action.replace(/&amp;/g, '&'), { csrf, fields });
      }
    }
    const anyCsrf = [...forms.values()].find((form) => form.csrf)?.csrf ?? '';
    for (const post of posts) {
      if (post.path === '/sign-out') continue;
      const url = concrete(post.path);
      const form = forms.get(url) ?? {
        csrf: anyCsrf,
        fields: { name: 'x', title: 'x', email: 'a@example.org' },
      };
      const encode = (fields: Record<string, string>) =>
        Object.entries({ _csrf: encodeURIComponent(form.csrf), ...fields })
          .map(([key, value]) => `${encodeURIComponent(key)}=${value}`)
          .join('&');
      const defaults = Object.fromEntries(
        Object.entries(form.fields).map(([key, value]) => [key, encodeURIComponent(value)]),
      );
      for (const field of Object.keys(form.fields)) {
        for (const value of Object.values(TEXT_CLASSES))
          await send('POST', url, { form: encode({ ...defaults, [field]: value }) });
        await send('POST', url, { form: `${encode(defaults)}&${encodeURIComponent(field)}=second` });
      }
      await send('POST', url, { form: `${encode(defaults)}&unexpected%00=1` });
      for (let index = 0; index < (post.path.match(/:\w+/g) ?? []).length; index++)
        for (const value of PARAM_CLASSES)
          await send('POST', concrete(post.path, { index, value }), { form: encode(defaults) });
    }
    expect(forms.size).toBeGreaterThan(10);
    expect(findings).toEqual([]);
  }, 600_000);
});
