import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import fc from 'fast-check';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import TestAgent from 'supertest/lib/agent';
import { samplePdf } from 'src/materials/sample-pdf.fixture';
import { cohortSetup, createCohort } from './support/cohort-factory';
import { TestApp, TestUser } from './support/test-app';

// One seed for every route, so that a failure replays exactly: FUZZ_SEED=<seed> npx jest test/property-fuzz...
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
// Deeper runs on a workstation: FUZZ_RUNS_SCALE=10 multiplies the runs per route.
const RUNS_SCALE = Number(process.env.FUZZ_RUNS_SCALE ?? 1);
const BODY_RUNS = 40 * RUNS_SCALE;
const QUERY_RUNS = 25 * RUNS_SCALE;
const DAY = 24 * 60 * 60 * 1000;

interface Schema {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  example?: unknown;
  nullable?: boolean;
  items?: Schema;
  properties?: Record<string, Schema>;
}
interface Operation {
  parameters?: Array<{ name: string; in: string; schema?: Schema }>;
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}
interface Target {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  route: string;
  url: string;
  query: Array<{ name: string; schema: Schema }>;
  body?: unknown;
}
interface FuzzRequest {
  query?: Array<[string, string]>;
  json?: string;
}
type Snapshot = Record<string, string>;

// A JSON key that would reach Object.prototype if a parser or a merge assigned it as `target[key] = value`.
const POLLUTING_KEYS = ['__proto__', 'constructor', 'prototype'];

/** A property named like an accessor (`__proto__`) as plain data, which JSON.stringify writes out as it is. */
function withKey(target: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const copy = { ...target };
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

const polluter = () => {
  const value = { polluted: 'yes' };
  return withKey({ prototype: value, constructor: { prototype: value } }, '__proto__', value);
};

const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit));
const controlCharacter = fc.constantFrom(
  '\u0000',
  '\u0007',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u202e',
  '\u2066',
);
const loneSurrogate = fc.constantFrom('\ud800', '\udfff');

/** Text of every kind: any UTF-16 code unit (lone surrogates too), control characters, and very long text. */
const text = fc.oneof(
  fc.string({ unit: codeUnit, maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc
    .tuple(
      fc.string({ maxLength: 10 }),
      fc.oneof(controlCharacter, loneSurrogate),
      fc.string({ maxLength: 10 }),
    )
    .map((parts) => parts.join('')),
  fc
    .tuple(fc.constantFrom('x', 'é', '𝄞', ' ', '\n', '<', "'"), fc.integer({ min: 256, max: 200_000 }))
    .map(([unit, length]) => unit.repeat(length)),
  fc.constantFrom(
    '',
    ' ',
    '   ',
    'null',
    'undefined',
    'true',
    '[]',
    '{}',
    '7',
    '-1',
    '1e999',
    'NaN',
    'Infinity',
  ),
);

/** Dates and times that are wrong, odd or out of range, in the shapes people and programs write them. */
const date = fc.oneof(
  fc.date({ noInvalidDate: true }).map((value) => value.toISOString()),
  fc
    .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
    .map((value) => value.toISOString()),
  fc.date({ noInvalidDate: true }).map((value) => value.toISOString().slice(0, 10)),
  fc
    .tuple(
      fc.integer({ min: 0, max: 99999 }),
      fc.integer({ min: 0, max: 99 }),
      fc.integer({ min: 0, max: 99 }),
      fc.integer({ min: 0, max: 99 }),
    )
    .map(
      ([year, month, day, hour]) =>
        `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00Z`,
    ),
  fc.constantFrom(
    '2026-02-30',
    '2026-02-29',
    '2026-13-01',
    '0000-00-00',
    '0000-01-01',
    '-000001-01-01',
    '+275760-09-13T00:00:00Z',
    '9999-12-31T23:59:60Z',
    '2026-10-20T24:00:00Z',
    '2026-10-20T18:00:00+25:00',
    '2026-10-20T18:00:00',
    '2026-03-29T01:30:00 Europe/London',
    '2031-W43-2',
    '2031-296',
    '20261020',
    '1/2/2026',
    'today',
  ),
);

const AUDITED_REFUSALS: Record<string, string> = { 'POST /api/v1/auth/login': 'auth.sign_in_failed' };

const ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

describe('Property-based fuzz of the JSON API', () => {
  let t: TestApp;
  let admin: TestUser;
  let agent: TestAgent;
  let traineeAgent: TestAgent;
  let urls: Record<string, string>;
  let params: Record<string, string>;
  let bodies: Record<string, unknown>;
  let snapshotQuery: string;

  beforeAll(async () => {
    // The web process alone: no worker changes the database between the two snapshots around a request.
    t = await TestApp.start(
      { STORAGE_DIR: mkdtempSync(join(tmpdir(), 'fpm-property-fuzz-')) },
      { worker: false },
    );
    const setup = await cohortSetup(t);
    admin = await t.newUser(['admin', 'training_lead', 'facilitator', 'trainee'], {
      organisationId: setup.organisationId,
    });
    agent = await t.signedIn(admin);
    const trainee = await t.newUser(['trainee'], { organisationId: setup.organisationId });
    const otherTrainee = await t.newUser(['trainee'], { organisationId: setup.organisationId });
    const cohort = await createCohort(setup, {
      daysFromNow: -1,
      facilitatorIds: [setup.facilitators[0].id, admin.id],
    });
    const enrolment = await setup.leadAgent
      .post(`/api/v1/cohorts/${cohort.id}/enrolments`)
      .send({ traineeId: trainee.id })
      .expect(201);
    await agent
      .put(`/api/v1/sessions/${cohort.sessions[0].id}/attendance`)
      .send([{ enrolmentId: enrolment.body.id, status: 'present' }])
      .expect(200);
    traineeAgent = await t.signedIn(trainee);
    const entry = await traineeAgent
      .post(`/api/v1/enrolments/${enrolment.body.id}/logbook/entries`)
      .send({
        kind: 'session_reflection',
        sessionId: cohort.sessions[0].id,
        occurredOn: new Date().toISOString().slice(0, 10),
        whatHappened: 'We practised listening.',
        reflection: 'I felt unsure at first.',
        learning: 'Listening comes before helping.',
        nextSteps: 'Practise summarising.',
      })
      .expect(201);
    const signOff = await agent
      .post(`/api/v1/enrolments/${enrolment.body.id}/competencies/helper-quality.empathy/sign-offs`)
      .send({ outcome: 'met', comment: 'Seen' })
      .expect(201);
    const accreditation = await agent
      .post(`/api/v1/users/${admin.id}/accreditations`)
      .send({ courseCode: 'foundation', grantedOn: '2024-01-01', expiresOn: '2030-01-01' })
      .expect(201);
    const material = await agent
      .post('/api/v1/materials')
      .send({
        code: 'FUZZ',
        title: 'Handbook',
        kind: 'handbook',
        courseCodes: ['foundation'],
        audience: ['trainee'],
      })
      .expect(201);
    await agent
      .post(`/api/v1/materials/${material.body.id}/editions`)
      .set('X-Requested-With', 'test')
      .field('label', 'First edition')
      .attach('file', await samplePdf(1), 'handbook.pdf')
      .expect(201);
    const printOrder = await agent
      .post(`/api/v1/cohorts/${cohort.id}/print-orders`)
      .send({ materialId: material.body.id, copies: 2 })
      .expect(201);
    params = {
      users: trainee.id,
      cohorts: cohort.id,
      sessions: cohort.sessions[0].id,
      enrolments: enrolment.body.id,
      entries: entry.body.id,
      areas: setup.areaId,
      organisations: setup.organisationId,
      facilitators: setup.facilitators[1].id,
      courses: 'foundation',
      competencies: 'helper-quality.respect',
      'competency-sign-offs': signOff.body.id,
      accreditations: accreditation.body.id,
      trainees: otherTrainee.id,
      materials: material.body.id,
      'print-orders': printOrder.body.id,
      // No certificate is issued here: its routes still validate the body before finding none.
      certificates: '00000000-0000-4000-8000-0000000000ce',
    };
    // The register of the first session stays open: moving a session is fuzzed on the last one.
    // Erasure is fuzzed on a person of its own: the first reason it accepts erases them, and the rest find them erased.
    const erasable = await t.newUser(['trainee'], { organisationId: setup.organisationId });
    urls = {
      'PATCH /api/v1/sessions/:id': `/api/v1/sessions/${cohort.sessions[2].id}`,
      'POST /api/v1/users/:id/erase': `/api/v1/users/${erasable.id}/erase`,
    };
    const aPassword = { token: 'a'.repeat(43), password: 'a long enough password' };
    const today = new Date().toISOString().slice(0, 10);
    const at = (days: number, hours = 0) =>
      new Date(Date.now() + days * DAY + hours * 3_600_000).toISOString();
    const session = { startsAt: at(60), endsAt: at(60, 2), title: 'Extra session', venue: 'Room 9' };
    const { rules } = (
      (await agent.get('/api/v1/courses').expect(200)).body as Array<{ courseCode: string; rules: unknown }>
    ).find((course) => course.courseCode === 'foundation')!;
    const entryFields = { sessionId: cohort.sessions[0].id, occurredOn: today, whatHappened: 'Listening' };
    // A valid body per route, so that one fuzzed field is what is wrong and reaches as deep as it can.
    bodies = {
      'POST /api/v1/users': {
        email: 'new.person@example.org',
        name: 'Sam Patel',
        roles: ['trainee'],
        organisationId: setup.organisationId,
        profession: 'social_worker',
      },
      'PATCH /api/v1/users/:id': { name: 'Sam Patel', roles: ['trainee'], profession: 'social_worker' },
      'PUT /api/v1/areas/:id/workforce-baselines': [{ profession: 'social_worker', headcount: 120 }],
      'POST /api/v1/courses/:code/versions': { title: 'Foundation (fuzzed)', rules },
      'POST /api/v1/cohorts': {
        courseCode: 'foundation',
        title: 'Fuzzed cohort',
        organisationId: setup.organisationId,
        areaId: setup.areaId,
        capacity: 16,
        deliveryMode: 'in_person',
        venue: 'Room 8',
        facilitatorIds: [],
        schedule: { firstStartsAt: at(90), durationMinutes: 120, count: 2, intervalWeeks: 1 },
      },
      'PATCH /api/v1/cohorts/:id': {
        title: 'Renamed',
        capacity: 16,
        deliveryMode: 'in_person',
        venue: 'Room 7',
      },
      'POST /api/v1/cohorts/:id/sessions': { sessions: [session] },
      'POST /api/v1/cohorts/:id/facilitators': { userId: setup.facilitators[1].id, role: 'co' },
      'POST /api/v1/cohorts/:id/enrolments': { traineeId: otherTrainee.id },
      'POST /api/v1/cohorts/:id/enrolments/bulk': {
        people: [{ email: 'listed@example.org', name: 'Listed Person', profession: 'social_worker' }],
        dryRun: true,
      },
      'PATCH /api/v1/sessions/:id': { startsAt: at(61), endsAt: at(61, 2), venue: 'Room 6', title: 'Moved' },
      'PUT /api/v1/sessions/:id/attendance': [{ enrolmentId: enrolment.body.id, status: 'present' }],
      'POST /api/v1/enrolments/:id/logbook/entries': { kind: 'session_reflection', ...entryFields },
      'PATCH /api/v1/logbook/entries/:id': entryFields,
      'POST /api/v1/logbook/entries/:id/review': { decision: 'returned', feedback: 'Say more.' },
      'POST /api/v1/enrolments/:id/competencies/:code/sign-offs': {
        outcome: 'not_yet',
        evidenceEntryIds: [],
        comment: 'Not yet seen',
      },
      'POST /api/v1/accreditations/:id/renewals': { renewedOn: today, note: 'Refresher day' },
      'POST /api/v1/auth/login': { email: 'nobody@example.org', password: 'not the password' },
      'POST /api/v1/auth/password-reset': { email: 'nobody@example.org' },
      'POST /api/v1/auth/password-reset/confirm': aPassword,
      'POST /api/v1/auth/accept-invitation': aPassword,
      'PATCH /api/v1/print-orders/:id': { status: 'dispatched', trackingRef: 'RM123' },
      'POST /api/v1/users/:id/erase': { reason: 'Asked for by the person' },
    };
    const tables = await t.dataSource.query<Array<{ tablename: string }>>(
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`,
    );
    // Row count and an order-free sum of row hashes: any insert, update or delete shows; cheap on a small data set.
    snapshotQuery = tables
      .map(
        ({ tablename }) =>
          `SELECT '${tablename}' AS name, count(*) || ':' || coalesce(sum(hashtext(r::text)::bigint), 0) AS state FROM "${tablename}" r`,
      )
      .concat(`SELECT 'audit_events max id', coalesce(max(id), 0)::text FROM audit_events`)
      .join(' UNION ALL ');
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  async function snapshot(): Promise<Snapshot> {
    const rows = await t.dataSource.query<Array<{ name: string; state: string }>>(snapshotQuery);
    return Object.fromEntries(rows.map((row) => [row.name, row.state]));
  }

  function targets(): Target[] {
    const document = SwaggerModule.createDocument(t.app, new DocumentBuilder().build());
    const schemas = (document.components?.schemas ?? {}) as Record<string, Schema>;
    const resolve = (schema: Schema | undefined): Schema =>
      schema?.$ref ? resolve(schemas[schema.$ref.split('/').pop()!]) : (schema ?? {});
    const sample = (schema: Schema, name = ''): unknown => {
      const resolved = resolve(schema);
      const id = params[`${name.replace(/Ids?$/, '')}s`];
      if (id && name.match(/Ids?$/)) return resolved.type === 'array' ? [id] : id;
      if (resolved.example !== undefined) return resolved.example;
      if (resolved.enum) return resolved.enum[0];
      if (resolved.type === 'array') return [sample(resolved.items ?? {}, name)];
      if (resolved.properties)
        return Object.fromEntries(
          Object.entries(resolved.properties).map(([key, value]) => [key, sample(value, key)]),
        );
      if (resolved.nullable) return null;
      if (resolved.type === 'integer' || resolved.type === 'number') return 1;
      if (resolved.type === 'boolean') return false;
      return 'Some text';
    };
    const found: Target[] = [];
    for (const [openApiPath, operations] of Object.entries(document.paths)) {
      const route = openApiPath.replace(/\{(\w+)\}/g, ':$1');
      for (const [method, operation] of Object.entries(operations as Record<string, Operation>)) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
        const query = (operation.parameters ?? [])
          .filter((parameter) => parameter.in === 'query')
          .map((parameter) => ({ name: parameter.name, schema: resolve(parameter.schema) }));
        const schema = operation.requestBody?.content?.['application/json']?.schema;
        if (!schema && query.length === 0) continue;
        const key = `${method.toUpperCase()} ${route}`;
        const segments = route.split('/');
        const url = segments
          .map((segment, i) => (segment.startsWith(':') ? (params[segments[i - 1]] ?? 'x') : segment))
          .join('/');
        found.push({
          method: method as Target['method'],
          route: key,
          url: urls[key] ?? url,
          query,
          body: schema ? (key in bodies ? bodies[key] : sample(schema)) : undefined,
        });
      }
    }
    return found;
  }

  const realIds = () => Object.values(params).filter((value) => ID_PATTERN.test(value));

  /** Ids that do not exist, are of the wrong kind (a cohort's for a user's), or are not ids. */
  const id = () =>
    fc.oneof(
      fc.uuid(),
      fc.constantFrom(...realIds()),
      fc.constantFrom(...realIds()).map((value) => value.toUpperCase()),
      fc.constantFrom(...realIds()).map((value) => `${value} `),
      fc.constantFrom(
        '00000000-0000-0000-0000-000000000000',
        'ffffffff-ffff-ffff-ffff-ffffffffffff',
        '0',
        '-1',
      ),
      fc.uuid().map((value) => value.replace(/-/g, '')),
      fc.uuid().map((value) => `${value.slice(0, 35)}g`),
    );

  const number = () =>
    fc.oneof(
      fc.integer(),
      fc.integer({ min: -2, max: 1000 }),
      fc.double({ noNaN: true }),
      fc.constantFrom(0, -0, -1, 0.5, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 1, 1e308, -1e308, 5e-324),
    );

  /** Any value a JSON body can carry in place of a field. */
  const value = (): fc.Arbitrary<unknown> =>
    fc.letrec<{ any: unknown }>((tie) => ({
      any: fc.oneof(
        { maxDepth: 3, depthIdentifier: 'value' },
        fc.constant(null),
        fc.boolean(),
        number(),
        text,
        date,
        id(),
        fc.array(tie('any'), { maxLength: 4 }),
        fc.integer({ min: 201, max: 5000 }).chain((length) =>
          fc
            .oneof(
              id(),
              text.filter((item) => item.length < 100),
            )
            .map((item) => Array<unknown>(length).fill(item)),
        ),
        fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom(...POLLUTING_KEYS)), tie('any'), {
          maxKeys: 3,
        }),
      ),
    })).any;

  /** Nested arrays and objects around a value, sometimes past the depth the parser accepts. */
  const deep = () =>
    fc
      .tuple(fc.integer({ min: 8, max: 60 }), fc.boolean(), value())
      .map(([depth, arrays, inner]) =>
        Array.from({ length: depth }).reduce<unknown>((nested) => (arrays ? [nested] : { a: nested }), inner),
      );

  /** Every place in a body a value can be put: each field, and each field of the first item of a list. */
  function paths(body: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
    if (Array.isArray(body))
      return body.length > 0 ? [[...prefix, 0], ...paths(body[0], [...prefix, 0])] : [];
    if (typeof body !== 'object' || body === null) return [];
    return Object.entries(body).flatMap(([key, item]) => [
      [...prefix, key],
      ...paths(item, [...prefix, key]),
    ]);
  }

  function setAt(body: unknown, path: Array<string | number>, replacement: unknown): unknown {
    if (path.length === 0) return replacement;
    const [head, ...rest] = path;
    if (Array.isArray(body))
      return body.map((item, i) => (i === head ? setAt(item, rest, replacement) : item));
    const record = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    return withKey(record, String(head), setAt(record[head], rest, replacement));
  }

  function bodyArbitrary(body: unknown): fc.Arbitrary<FuzzRequest> {
    const places = paths(body);
    const containers = [[], ...places].filter((path) => {
      const item = path.reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], body);
      return typeof item === 'object' && item !== null && !Array.isArray(item);
    });
    const json = (content: unknown) => ({ json: JSON.stringify(content) });
    const mutations: Array<fc.Arbitrary<FuzzRequest>> = [
      value().map(json),
      fc.constantFrom(...containers).chain((path) =>
        fc
          .tuple(
            fc.oneof(fc.constantFrom(...POLLUTING_KEYS), fc.string({ unit: codeUnit, maxLength: 12 })),
            fc.oneof(value(), fc.constant(polluter())),
          )
          .map(([key, extra]) => {
            const container = path.reduce<unknown>(
              (node, step) => (node as Record<string, unknown>)[step],
              body,
            );
            return json(setAt(body, path, withKey(container as Record<string, unknown>, key, extra)));
          }),
      ),
    ];
    if (places.length > 0)
      mutations.push(
        fc
          .array(fc.tuple(fc.constantFrom(...places), fc.oneof({ weight: 5, arbitrary: value() }, deep())), {
            minLength: 1,
            maxLength: 3,
          })
          .map((changes) =>
            json(changes.reduce((changed, [path, replacement]) => setAt(changed, path, replacement), body)),
          ),
      );
    return fc.oneof(...mutations);
  }

  /** Requests that once answered 500, and the plainest pollution attempts, tried on every route first. */
  function regressions(target: Target): FuzzRequest[] {
    const found: FuzzRequest[] = [{ query: [['constructor', 'x']] }, { query: [['__proto__', 'x']] }];
    if (target.body === undefined) return found;
    found.push({ json: JSON.stringify(polluter()) });
    const [first] = paths(target.body);
    // class-transformer called a nested object's `constructor` key as a class (500 on every route with a body).
    if (first) found.push({ json: JSON.stringify(setAt(target.body, first, { constructor: 'x' })) });
    // A list of objects given a list as an item passed validation (sessions: [[]] stored a session without times).
    for (const path of paths(target.body).filter((place) => place.at(-1) === 0))
      found.push({ json: JSON.stringify(setAt(target.body, path, [])) });
    if (typeof target.body === 'object' && !Array.isArray(target.body))
      found.push({ json: JSON.stringify({ ...target.body, prototype: { constructor: 1 } }) });
    return found;
  }

  function queryArbitrary(query: Target['query']): fc.Arbitrary<FuzzRequest> {
    const textValue = fc.oneof(
      text,
      date,
      id(),
      number().map(String),
      ...query.flatMap(({ schema }) =>
        (schema.enum ?? schema.items?.enum ?? []).map((item) => fc.constant(String(item))),
      ),
    );
    const known = fc.constantFrom(...query.map((parameter) => parameter.name));
    const name = fc.oneof(
      { weight: 4, arbitrary: known },
      fc.constantFrom(...POLLUTING_KEYS),
      fc.string({ maxLength: 8 }),
    );
    return fc
      .array(fc.tuple(name, textValue), { minLength: 1, maxLength: 4 })
      .map((pairs) => ({ query: pairs }));
  }

  // encodeURIComponent refuses a lone surrogate; a crafted link carries its bytes anyway, which are not UTF-8.
  const encode = (part: string) =>
    Array.from(part, (char) => {
      try {
        return encodeURIComponent(char);
      } catch {
        return '%ED%A0%80';
      }
    }).join('');

  async function send(target: Target, request: FuzzRequest) {
    const queryString = (request.query ?? [])
      .map(([key, item]) => `${encode(key)}=${encode(item)}`)
      .join('&');
    // Only the trainee writes in a logbook, even an admin cannot: those routes are fuzzed as the trainee.
    const writer = /^(POST|PATCH) .*\/logbook\/entries(\/:id(\/submit)?)?$/.test(target.route);
    let call = (writer ? traineeAgent : agent)[target.method](
      queryString ? `${target.url}?${queryString}` : target.url,
    );
    if (request.json !== undefined) call = call.set('content-type', 'application/json').send(request.json);
    const response = await call.redirects(0).ok(() => true);
    // Fuzzing sign-in trips the lockout; lift it so that the next request can sign in again.
    if (target.route.includes('/auth/')) await t.liftSignInLocks();
    return response;
  }

  /** A refused sign-in is itself recorded: that audit event, and nothing else, is what it may store. */
  async function onlyAudited(target: Target, changed: string[], before: Snapshot): Promise<boolean> {
    const audited = AUDITED_REFUSALS[target.route];
    if (!audited || changed.some((table) => !table.startsWith('audit_events'))) return false;
    const actions = await t.dataSource.query<Array<{ action: string }>>(
      `SELECT DISTINCT action FROM audit_events WHERE id > $1`,
      [before['audit_events max id']],
    );
    return actions.every(({ action }) => action === audited);
  }

  const pollutionOf = () => ({
    polluted: ({} as Record<string, unknown>).polluted,
    ownKeys: Object.getOwnPropertyNames(Object.prototype).length,
  });

  // Found by the fuzz: not a 500, a session stored without times (pg warned of an invalid date).
  it('refuses a list given in place of a session', async () => {
    const response = await agent
      .post(`/api/v1/cohorts/${params.cohorts}/sessions`)
      .send({ sessions: [[]] })
      .expect(400);
    expect(response.body.errors).toEqual({ sessions: [expect.stringContaining('Give each session')] });
  });

  it(
    'never answers 5xx, stores nothing it refuses, and never pollutes Object.prototype',
    async () => {
      const clean = pollutionOf();
      const failures: string[] = [];
      let requests = 0;
      let signedOut = false;
      for (const target of targets()) {
        const arbitrary =
          target.body === undefined
            ? queryArbitrary(target.query)
            : target.query.length > 0
              ? fc.oneof(bodyArbitrary(target.body), queryArbitrary(target.query))
              : bodyArbitrary(target.body);
        const details = await fc.check(
          fc.asyncProperty(arbitrary, async (request) => {
            // Signing in again writes an audit event, so it happens before the snapshot, never between the two.
            if (signedOut) agent = await t.signedIn(admin);
            const before = await snapshot();
            const response = await send(target, request);
            requests++;
            signedOut = response.status === 401;
            const described = `${target.route} answered ${response.status}: ${response.text.slice(0, 300)}`;
            if (response.status >= 500) throw new Error(described);
            expect(pollutionOf()).toEqual(clean);
            if (response.status >= 400) {
              const after = await snapshot();
              const changed = Object.keys(after).filter((table) => after[table] !== before[table]);
              if (changed.length > 0 && !(await onlyAudited(target, changed, before)))
                throw new Error(`${described}, yet changed ${changed.join(', ')}`);
            }
          }),
          {
            seed: SEED,
            numRuns: target.body === undefined ? QUERY_RUNS : BODY_RUNS,
            examples: regressions(target).map((request) => [request]),
          },
        );
        if (details.failed)
          failures.push(
            `${target.route}: ${String(details.errorInstance)}\n${fc.defaultReportMessage(details)}`,
          );
      }
      expect(failures).toEqual([]);
      expect(requests).toBeGreaterThan(1000);
    },
    300_000 * RUNS_SCALE,
  );
});
