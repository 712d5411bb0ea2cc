import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import type { Role } from 'src/common/role';
import { CoverageRefreshService } from 'src/reports/coverage-refresh.service';
import { cohortSetup, createCohort } from './support/cohort-factory';
import { launchBrowser, signInThroughBrowser } from './support/browser';
import { listRoutes, Route } from './support/routes';
import { csrfTokenFrom, TestApp, TestUser } from './support/test-app';

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const BLOCKING_IMPACTS = new Set(['serious', 'critical']);
const ROLES: Role[] = ['admin', 'training_lead', 'facilitator', 'trainee', 'commissioner'];
type Visitor = Role | 'signed-out visitor';

/** GET routes outside /api that are not pages a person reads, each with the reason it is not scanned. */
const NOT_PAGES: Record<string, string> = {
  '/health': 'a JSON health check for load balancers',
  '/.well-known/jwks.json': 'the JSON key set that verifies certificates’ credentials',
  '/calendar/:file': 'an iCalendar feed read by calendar programs',
};

/** A form submitted from a page, and what the page it leads to shows: the error summary, or a success banner. */
interface FormSubmission {
  visitor: Visitor;
  path: string;
  action: string;
  shows: '.govuk-error-summary' | '.govuk-notification-banner--success';
}

describe('Accessibility of every page, as each role (axe-core in Chromium)', () => {
  let t: TestApp;
  let browser: Browser;
  let baseUrl: string;
  let pageRoutes: Route[];
  /** The id put in place of a route parameter, by the path segment before it (`/cohorts/:id` → cohorts). */
  let ids: Record<string, string>;
  const people = {} as Record<Role, TestUser>;
  /** Forms submitted empty (or as they stand) by each visitor, so that error summaries and banners are scanned. */
  let forms: FormSubmission[];
  /** Page routes seen as a 200 page by at least one role, and so scanned as they are meant to look. */
  const scannedAsPages = new Set<string>();

  beforeAll(async () => {
    t = await TestApp.start();
    ({ browser, baseUrl } = await launchBrowser(t));
    pageRoutes = listRoutes(t.app).filter(
      (route) => route.method === 'GET' && !route.path.startsWith('/api/'),
    );

    // A host organisation and area with a training lead and two accredited facilitators; a commissioner of the area.
    const setup = await cohortSetup(t);
    const [facilitator, coFacilitator] = setup.facilitators;
    people.training_lead = setup.lead;
    people.facilitator = facilitator;
    people.admin = await t.newUser(['admin']);
    people.trainee = await t.newUser(['trainee'], { organisationId: setup.organisationId });
    people.commissioner = await t.newUser(['commissioner']);
    const admin = await t.signedIn(people.admin);
    await admin
      .patch(`/api/v1/users/${people.commissioner.id}`)
      .send({ areaIds: [setup.areaId] })
      .expect(200);
    const invited = await t.newUser(['trainee'], { organisationId: setup.organisationId, invited: true });

    // A running cohort (two sessions past, two to come) full with the trainee and two others, one register taken,
    // one person on the waiting list and one asking for a place; an open cohort to come, with places to ask for.
    const running = await createCohort(setup, {
      daysFromNow: -8,
      count: 4,
      capacity: 3,
      facilitatorIds: [facilitator.id, coFacilitator.id],
    });
    const upcoming = await createCohort(setup, {
      daysFromNow: 40,
      facilitatorIds: [facilitator.id, coFacilitator.id],
    });
    for (const cohort of [running, upcoming])
      await setup.leadAgent.patch(`/api/v1/cohorts/${cohort.id}`).send({ status: 'open' }).expect(200);
    const others = [];
    for (let n = 0; n < 4; n++)
      others.push(await t.newUser(['trainee'], { organisationId: setup.organisationId }));
    const enrol = async (trainee: TestUser): Promise<string> => {
      const response = await setup.leadAgent
        .post(`/api/v1/cohorts/${running.id}/enrolments`)
        .send({ traineeId: trainee.id })
        .expect(201);
      return response.body.id as string;
    };
    const [enrolmentId, ...otherEnrolments] = [
      await enrol(people.trainee),
      await enrol(others[0]),
      await enrol(others[1]),
    ];
    await enrol(others[2]);
    const asking = await t.signedIn(others[3]);
    await asking
      .post(`/my/cohorts/${running.id}/request`)
      .type('form')
      .send({ _csrf: await csrfTokenFrom(asking, '/my/courses') })
      .expect(303)
      .expect('location', '/my/courses');
    const facilitatorAgent = await t.signedIn(facilitator);
    await facilitatorAgent
      .put(`/api/v1/sessions/${running.sessions[0].id}/attendance`)
      .send([
        { enrolmentId, status: 'present' },
        { enrolmentId: otherEnrolments[0], status: 'late' },
        { enrolmentId: otherEnrolments[1], status: 'excused', madeUp: true },
      ])
      .expect(200);
    // The trainee's logbook: one reflection submitted for review (the facilitator's queue and review form), and
    // one draft with an identifier in it (the findings shown in context).
    const traineeAgent = await t.signedIn(people.trainee);
    const reflection = {
      kind: 'session_reflection',
      sessionId: running.sessions[0].id,
      occurredOn: running.sessions[0].startsAt.slice(0, 10),
      whatHappened: 'We practised summarising in pairs.',
      reflection: 'I was uneasy with the silences.',
      learning: 'Summarising shows the parent they have been heard.',
      nextSteps: 'I will summarise before suggesting anything.',
    };
    const submitted = await traineeAgent
      .post(`/api/v1/enrolments/${enrolmentId}/logbook/entries`)
      .send(reflection)
      .expect(201);
    await traineeAgent.post(`/api/v1/logbook/entries/${submitted.body.id}/submit`).send({}).expect(200);
    const draft = await traineeAgent
      .post(`/api/v1/enrolments/${enrolmentId}/logbook/entries`)
      .send({ ...reflection, whatHappened: 'Mum gave me her number, 07700 900123.' })
      .expect(201);

    // An accepted logbook entry, cited by a sign-off that was then corrected: the competency grid shows evidence,
    // a current state and a history.
    const { body: entry } = await traineeAgent
      .post(`/api/v1/enrolments/${enrolmentId}/logbook/entries`)
      .send({
        kind: 'session_reflection',
        sessionId: running.sessions[0].id,
        occurredOn: running.sessions[0].startsAt.slice(0, 10),
        whatHappened: 'We practised summarising in pairs.',
        reflection: 'I felt rushed and wanted to offer solutions.',
        learning: 'Summarising shows the parent they have been heard.',
        nextSteps: 'I will summarise before suggesting anything.',
      })
      .expect(201);
    await traineeAgent.post(`/api/v1/logbook/entries/${entry.id}/submit`).send({}).expect(200);
    await facilitatorAgent
      .post(`/api/v1/logbook/entries/${entry.id}/review`)
      .send({ decision: 'accepted' })
      .expect(200);
    for (const outcome of ['not_yet', 'met'])
      await facilitatorAgent
        .post(`/api/v1/enrolments/${enrolmentId}/competencies/helper-skill.summarising/sign-offs`)
        .send({
          outcome,
          evidenceEntryIds: outcome === 'met' ? [entry.id] : [],
          comment: 'Seen in pairs work',
        })
        .expect(201);
    // A locked account, so the sign-in locks page lists one.
    for (let attempt = 0; attempt < 5; attempt++)
      await t.agent().post('/api/v1/auth/login').send({ email: invited.email, password: 'wrong password' });

    // A certificate, so its public verification page has something to show.
    await t.dataSource.query(
      `INSERT INTO certificates (enrolment_id, course_code, serial, verification_code, holder_name, issued_by_id, status)
       VALUES ($1, 'foundation', 'FND-2026-999999', 'accessibility-check-code', $2, $3, 'issued')`,
      [enrolmentId, people.trainee.name, people.training_lead.id],
    );
    // A material of the catalogue with two editions, the newer current, for its page and the catalogue's table.
    const { body: material } = await admin
      .post('/api/v1/materials')
      .send({
        code: 'RPH',
        title: 'Reflective Practice Handbook',
        kind: 'handbook',
        courseCodes: ['foundation'],
        audience: ['trainee'],
      })
      .expect(201);
    const editions: Array<{ id: string; current: boolean }> = await t.dataSource.query(
      `INSERT INTO material_editions (material_id, label, notes, sha256, size_bytes, page_count, current, uploaded_by_id)
       VALUES ($1, '1st edition (2009)', '', repeat('a', 64), 840000, 96, false, $2),
              ($1, '2nd edition (2024)', 'Chapter 4 rewritten.', repeat('b', 64), 1300000, 120, true, $2)
       RETURNING id, current`,
      [material.id, people.admin.id],
    );
    // The trainee holds both editions through the running cohort and downloaded the first: their materials page
    // offers the new edition, and the licence report counts the copy.
    const issues: Array<{ id: string; edition_id: string }> = await t.dataSource.query(
      `INSERT INTO material_issues (material_id, edition_id, holder_id, cohort_id, organisation_id, enrolment_id, basis)
       SELECT $1, id, $2, $3, $4, $5, 'trainee' FROM unnest($6::uuid[]) AS id RETURNING id, edition_id`,
      [
        material.id,
        people.trainee.id,
        running.id,
        setup.organisationId,
        enrolmentId,
        editions.map((e) => e.id),
      ],
    );
    const older = issues.find((issue) => editions.some((e) => e.id === issue.edition_id && !e.current))!;
    await t.dataSource.query(
      `INSERT INTO material_copies (issue_id, edition_id, copy_number, stamp, completed_at, sha256, size_bytes)
       VALUES ($1, $2, 1, 'Licensed to the trainee', now(), repeat('c', 64), 900000)`,
      [older.id, older.edition_id],
    );
    // Printed copies for the running cohort: one order requested (its row offers dispatch and cancel), one dispatched.
    const materialId = material.id as string;
    const printOrder = async (copies: number): Promise<string> =>
      (
        await setup.leadAgent
          .post(`/api/v1/cohorts/${running.id}/print-orders`)
          .send({ materialId, copies })
          .expect(201)
      ).body.id;
    const requestedOrder = await printOrder(3);
    await setup.leadAgent
      .patch(`/api/v1/print-orders/${await printOrder(2)}`)
      .send({ status: 'dispatched', trackingRef: 'RM123456789GB' })
      .expect(200);
    // The coverage summary, as the worker keeps it, so the report pages show numbers.
    await t.app.get(CoverageRefreshService).refresh();
    ids = {
      materials: material.id,
      verify: 'accessibility-check-code',
      users: people.trainee.id,
      cohorts: running.id,
      sessions: running.sessions[1].id,
      enrolments: enrolmentId,
      entries: submitted.body.id,
      areas: setup.areaId,
      organisations: setup.organisationId,
    };
    const register = `/sessions/${running.sessions[1].id}/register`;
    forms = [
      { visitor: 'signed-out visitor', path: '/sign-in', action: '/sign-in', shows: '.govuk-error-summary' },
      { visitor: 'admin', path: '/admin/users/new', action: '/admin/users', shows: '.govuk-error-summary' },
      { visitor: 'admin', path: '/admin/areas', action: '/admin/areas', shows: '.govuk-error-summary' },
      {
        visitor: 'admin',
        path: `/admin/users/${people.trainee.id}/erase`,
        action: `/admin/users/${people.trainee.id}/erase`,
        shows: '.govuk-error-summary',
      },
      // Saved as it stands: the page again, with the banner saying so.
      {
        visitor: 'admin',
        path: '/admin/retention',
        action: '/admin/retention',
        shows: '.govuk-notification-banner--success',
      },
      { visitor: 'admin', path: '/materials', action: '/materials', shows: '.govuk-error-summary' },
      {
        visitor: 'admin',
        path: `/materials/${material.id}`,
        action: `/materials/${material.id}/editions`,
        shows: '.govuk-error-summary',
      },
      { visitor: 'training_lead', path: '/cohorts/new', action: '/cohorts', shows: '.govuk-error-summary' },
      { visitor: 'facilitator', path: register, action: register, shows: '.govuk-error-summary' },
      {
        visitor: 'facilitator',
        path: `/enrolments/${enrolmentId}/competencies?open=helper-quality.empathy`,
        action: `/enrolments/${enrolmentId}/competencies/helper-quality.empathy/sign-offs`,
        shows: '.govuk-error-summary',
      },
      {
        visitor: 'trainee',
        path: `/logbook/entries/${draft.body.id}`,
        action: `/logbook/entries/${draft.body.id}`,
        shows: '.govuk-error-summary',
      },
      {
        visitor: 'training_lead',
        path: `/cohorts/${running.id}/print-orders`,
        action: `/cohorts/${running.id}/print-orders`,
        shows: '.govuk-error-summary',
      },
      {
        visitor: 'training_lead',
        path: '/print-orders',
        action: `/print-orders/${requestedOrder}`,
        shows: '.govuk-error-summary',
      },
      {
        visitor: 'trainee',
        path: '/my/courses',
        action: `/my/cohorts/${upcoming.id}/request`,
        shows: '.govuk-notification-banner--success',
      },
    ];
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** The route's path with the ids made above in place of its parameters. */
  function concrete(path: string): string {
    const segments = path.split('/');
    return segments
      .map((segment, i) => {
        if (!segment.startsWith(':')) return segment;
        const id = ids[segments[i - 1]];
        if (!id) throw new Error(`No id for ${segment} in ${path}: make one in beforeAll and name it in ids`);
        return id;
      })
      .join('/');
  }

  /** Runs axe-core on the page as it is now; returns the serious and critical violations, one line each. */
  async function scan(page: Page, visitor: Visitor, what: string): Promise<string[]> {
    // Legacy mode runs axe.run() in the page itself rather than axe.runPartial() in each frame and axe.finishRun()
    // in a fresh blank page: twice as fast, and it misses nothing while the pages have no frames of their own.
    if (page.frames().length > 1) throw new Error(`${what} has frames: scan it without setLegacyMode()`);
    const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).setLegacyMode().analyze();
    return results.violations
      .filter((violation) => BLOCKING_IMPACTS.has(violation.impact ?? ''))
      .map(
        (violation) =>
          `${what} as ${visitor}: ${violation.id} (${violation.impact}) ${violation.help} — ` +
          violation.nodes.map((node) => node.target.join(' ')).join(', '),
      );
  }

  const signIn = (page: Page, user: TestUser) => signInThroughBrowser(page, baseUrl, user);

  it.each<Visitor>(['signed-out visitor', ...ROLES])(
    'finds no serious or critical violation, nor a console error, on any page seen by %s',
    async (visitor) => {
      const context = await browser.newContext();
      const page = await context.newPage();
      const violations: string[] = [];
      const consoleErrors: string[] = [];
      /** What the browser says when the page itself answers 403 or 404, which is expected here. */
      const pageStatusMessage = /^Failed to load resource: the server responded with a status of 40[34]/;
      page.on('console', (message) => {
        if (message.type() !== 'error') return;
        const source = message.location().url;
        if (pageStatusMessage.test(message.text()) && source === page.url()) return;
        const from = source && source !== page.url() ? ` (${source})` : '';
        consoleErrors.push(`${page.url()} as ${visitor}: ${message.text()}${from}`);
      });
      page.on('pageerror', (error) => consoleErrors.push(`${page.url()} as ${visitor}: ${error.message}`));
      try {
        if (visitor !== 'signed-out visitor') await signIn(page, people[visitor]);
        // A page seen already (the sign-in page a signed-out visitor is sent to, the same refusal for another
        // route) is not scanned again.
        const seen = new Set<string>();
        for (const route of pageRoutes) {
          if (NOT_PAGES[route.path]) continue;
          const path = concrete(route.path);
          const response = await page.goto(baseUrl + path);
          const status = response?.status() ?? 0;
          const type = response?.headers()['content-type'] ?? '';
          if (!type.startsWith('text/html')) {
            violations.push(`GET ${path} as ${visitor}: answered ${status} ${type}, not a page`);
            continue;
          }
          const landed = new URL(page.url()).pathname;
          const same = status < 400 ? landed : `${status} ${await page.locator('main').innerText()}`;
          if (seen.has(same)) continue;
          seen.add(same);
          violations.push(...(await scan(page, visitor, `GET ${path} (${status})`)));
          if (status === 200 && landed === path) scannedAsPages.add(route.path);
        }
        for (const form of forms.filter((form) => form.visitor === visitor)) {
          await page.goto(baseUrl + form.path);
          await page.click(`form[action="${form.action}"] button[type="submit"]`);
          await page.locator(form.shows).waitFor();
          await page.waitForLoadState('load');
          violations.push(...(await scan(page, visitor, `${form.path} after POST ${form.action}`)));
        }
      } finally {
        await context.close();
      }
      expect({ violations, consoleErrors }).toEqual({ violations: [], consoleErrors: [] });
    },
    // An admin's tour of every page takes about 40 s here; Jest runs other suites beside it on two cores.
    240_000,
  );

  it('reports what it is shown: a page with an unlabelled field and an image without alt text', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.setContent(
        '<html lang="en"><head><title>Broken</title></head><body><main><h1>Broken</h1>' +
          '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input type="text"></main></body></html>',
      );
      const found = await scan(page, 'signed-out visitor', 'a broken page');
      expect(found).toEqual([
        expect.stringMatching(/^a broken page as signed-out visitor: image-alt \(critical\) .* — img$/),
        expect.stringMatching(/^a broken page as signed-out visitor: label \(critical\) .* — input$/),
      ]);
    } finally {
      await context.close();
    }
  });

  it('scans every page route as a page, unless it says why not', () => {
    const unscanned = pageRoutes
      .filter((route) => !NOT_PAGES[route.path] && !scannedAsPages.has(route.path))
      .map((route) => `GET ${route.path} was not seen as a 200 page by any role: make data for it`);
    expect(unscanned).toEqual([]);
    const stale = Object.keys(NOT_PAGES).filter((path) => !pageRoutes.some((route) => route.path === path));
    expect(stale).toEqual([]);
    // listRoutes() found the page controllers, not only a handful of routes.
    expect(scannedAsPages.size).toBeGreaterThanOrEqual(25);
  });
});
