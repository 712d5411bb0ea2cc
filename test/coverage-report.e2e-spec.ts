import { parse } from 'csv-parse/sync';
import TestAgent from 'supertest/lib/agent';
import { CoverageRefreshService } from 'src/reports/coverage-refresh.service';
import type { CoverageReport } from 'src/reports/coverage-report.service';
import type { CoverageRow } from 'src/reports/coverage-rows';
import { cohortSetup, CohortSetup, createCohort } from './support/cohort-factory';
import { eventually } from './support/eventually';
import { TestApp, TestUser } from './support/test-app';

/**
 * A hand-made workforce, each figure below worked out by hand:
 *
 *   area (region)        profession        certified now   in training   headcount
 *   E09000901 (London)   social worker     7               0             20
 *   E09000901 (London)   health visitor    2               0             10
 *   E09000902 (London)   social worker     6               0             30
 *   E09000902 (London)   health visitor    5               0             10
 *   E06000901 (S. East)  social worker     12 (13, 1 revoked on 15 Oct 2026)   3   40
 *   E06000901 (S. East)  health visitor    0               0             5
 *
 * All Foundation. Of the 7 social workers in E09000901, 3 were certified on 1 May 2025 and 4 on 1 Aug 2026;
 * in E06000901, 6 on 10 Feb 2025 and 7 on 10 Apr 2026 (one of those revoked on 15 Oct 2026); everyone else on
 * 1 Jul 2026.
 */
describe('Workforce coverage report', () => {
  let t: TestApp;
  let setup: CohortSetup;
  let admin: TestAgent;
  const areas: Record<string, string> = {};
  let commissioner: TestUser;
  let revocable: string;
  const people: string[] = [];

  const report = async (agent: TestAgent, query = '') =>
    (await agent.get(`/api/v1/reports/coverage?course=foundation${query}`).expect(200))
      .body as CoverageReport;
  const row = (body: CoverageReport, name: string, profession: string | null = null): CoverageRow =>
    [...body.rows, ...body.byProfession].find((r) => r.name === name && r.profession === profession)!;

  beforeAll(async () => {
    t = await TestApp.start({ COVERAGE_REFRESH_DELAY_MS: '200' });
    admin = await t.signedIn(await t.newUser(['admin']));
    setup = await cohortSetup(t);
    for (const [code, name, region] of [
      ['E09000901', 'Northbrook', 'London'],
      ['E09000902', 'Southwick', 'London'],
      ['E06000901', 'Eastleigh Vale', 'South East'],
    ]) {
      const [{ id }] = await t.dataSource.query(
        `INSERT INTO areas (code, name, region) VALUES ($1, $2, $3) RETURNING id`,
        [code, name, region],
      );
      areas[code] = id;
    }
    // The setup's own area (made by the test helpers) is in another region, with nobody in it.
    await t.dataSource.query(`UPDATE areas SET region = 'North West' WHERE id = $1`, [setup.areaId]);
    const organisation: Record<string, string> = {};
    for (const code of Object.keys(areas)) {
      const [{ id }] = await t.dataSource.query(
        `INSERT INTO organisations (name, kind, area_id) VALUES ($1, 'local_authority', $2) RETURNING id`,
        [`Council of ${code}`, areas[code]],
      );
      organisation[code] = id;
    }
    for (const [code, profession, headcount] of [
      ['E09000901', 'social_worker', 20],
      ['E09000901', 'health_visitor', 10],
      ['E09000902', 'social_worker', 30],
      ['E09000902', 'health_visitor', 10],
      ['E06000901', 'social_worker', 40],
      ['E06000901', 'health_visitor', 5],
    ] as const)
      await t.dataSource.query(
        `INSERT INTO workforce_baselines (area_id, profession, headcount) VALUES ($1, $2, $3)`,
        [areas[code], profession, headcount],
      );
    const completed = await createCohort(setup, { daysFromNow: -400 });
    let serial = 0;
    const certify = async (
      code: string,
      profession: string,
      issuedOn: string,
      revokedOn: string | null = null,
    ) => {
      const [{ id: traineeId }] = await t.dataSource.query(
        `INSERT INTO users (email, name, roles, status, organisation_id, profession)
         VALUES ($1, $2, '{trainee}', 'active', $3, $4) RETURNING id`,
        [`p${++serial}@coverage.test`, `Practitioner Number${serial}`, organisation[code], profession],
      );
      people.push(traineeId);
      const [{ id: enrolmentId }] = await t.dataSource.query(
        `INSERT INTO enrolments (cohort_id, trainee_id, status, enrolled_at) VALUES ($1, $2, 'completed', now()) RETURNING id`,
        [completed.id, traineeId],
      );
      const [{ id }] = await t.dataSource.query(
        `INSERT INTO certificates (enrolment_id, course_code, serial, verification_code, holder_name, issued_by_id,
                                   status, issued_at, revoked_at)
         VALUES ($1, 'foundation', $2, $3, 'x', $4, $5, $6::date + time '12:00', $7::date + time '12:00') RETURNING id`,
        [
          enrolmentId,
          `FND-2026-${String(serial).padStart(6, '0')}`,
          `coverage-${serial}`,
          setup.lead.id,
          revokedOn ? 'revoked' : 'issued',
          issuedOn,
          revokedOn,
        ],
      );
      return id as string;
    };
    for (let n = 0; n < 3; n++) await certify('E09000901', 'social_worker', '2025-05-01');
    for (let n = 0; n < 4; n++) await certify('E09000901', 'social_worker', '2026-08-01');
    for (let n = 0; n < 2; n++) await certify('E09000901', 'health_visitor', '2026-07-01');
    for (let n = 0; n < 6; n++) await certify('E09000902', 'social_worker', '2026-07-01');
    for (let n = 0; n < 5; n++) await certify('E09000902', 'health_visitor', '2026-07-01');
    for (let n = 0; n < 6; n++) await certify('E06000901', 'social_worker', '2025-02-10');
    for (let n = 0; n < 6; n++) revocable = await certify('E06000901', 'social_worker', '2026-04-10');
    await certify('E06000901', 'social_worker', '2026-04-10', '2026-10-15');
    // Three social workers of E06000901 in training, on a cohort that has not finished.
    const running = await createCohort(setup, { daysFromNow: 10 });
    for (const traineeId of people.slice(20, 23))
      await t.dataSource.query(
        `INSERT INTO enrolments (cohort_id, trainee_id, status, enrolled_at) VALUES ($1, $2, 'enrolled', now())`,
        [running.id, traineeId],
      );
    commissioner = await t.newUser(['commissioner']);
    await t.dataSource.query(`INSERT INTO commissioner_areas (user_id, area_id) VALUES ($1, $2), ($1, $3)`, [
      commissioner.id,
      areas.E09000901,
      areas.E09000902,
    ]);
    await t.app.get(CoverageRefreshService).refresh();
  });

  afterAll(async () => {
    await t.close();
  });

  it('counts certified, in training and coverage per area, region and England, each figure as worked by hand', async () => {
    const body = await report(admin);
    expect(body.refreshedAt).not.toBeNull();
    const figures = (r: CoverageRow) => [r.certified.shown, r.inTraining.shown, r.headcount, r.coverageShown];
    // E06000901: 12 of 45 = 26.7%; its 3 in training are fewer than 5.
    expect(figures(row(body, 'Eastleigh Vale'))).toEqual(['12', '<5', 45, '26.7%']);
    // London: 7 + 2 + 6 + 5 = 20 of 70 = 28.6%; England adds 12: 32 of 115 = 27.8%, 3 in training (<5).
    expect(figures(row(body, 'London'))).toEqual(['20', '0', 70, '28.6%']);
    expect(figures(row(body, 'England'))).toEqual(['32', '<5', 115, '27.8%']);
    // Northbrook 9 of 30 = 30.0%, Southwick 11 of 40 = 27.5%.
    expect(figures(row(body, 'Northbrook'))).toEqual(['9', '0', 30, '30.0%']);
    expect(figures(row(body, 'Southwick'))).toEqual(['11', '0', 40, '27.5%']);
    // A region row is the sum of its areas.
    expect(row(body, 'London').certified.count).toBe(
      row(body, 'Northbrook').certified.count! + row(body, 'Southwick').certified.count!,
    );
    // The trend: certified at each quarter's end (the revoked certificate counts until 15 October 2026).
    const trend = (name: string) =>
      Object.fromEntries(row(body, name).trend.map((q) => [q.quarterEnd, q.certified.shown]));
    expect(trend('Eastleigh Vale')).toMatchObject({
      '2024-12-31': '0',
      '2025-03-31': '6',
      '2025-12-31': '6',
      '2026-06-30': '13',
      '2026-09-30': '13',
    });
    // On 30 June 2025 England had 9: London's 3 (fewer than 5) and the South East's 6; shown, 9 − 6 would give
    // London's 3 away, so that quarter's England figure is withheld as well.
    expect(trend('England')).toMatchObject({ '2025-03-31': '6', '2025-06-30': '[c]', '2026-09-30': '33' });
    expect(trend('London')).toMatchObject({ '2025-06-30': '<5' });
    expect(body.quarterEnds).toHaveLength(8);
  });

  it('withholds small numbers and a second cell beside each, so none can be worked out', async () => {
    const body = await report(admin);
    const northbrookHealthVisitors = row(body, 'Northbrook', 'health_visitor');
    expect(northbrookHealthVisitors.certified).toEqual({ count: null, shown: '<5', withheld: true });
    expect(northbrookHealthVisitors.coverageShown).toBe('withheld');
    // 9 = social workers + 2: the social workers are withheld too, or 9 − 7 would give the 2 away.
    expect(row(body, 'Northbrook', 'social_worker').certified.withheld).toBe(true);
    // London's health visitors (7) = 2 + Southwick's: Southwick's are withheld too.
    expect(row(body, 'Southwick', 'health_visitor').certified.withheld).toBe(true);
    expect(row(body, 'Southwick', 'health_visitor').certified.shown).toBe('[c]');
    // Differencing: no sum the report shows (an area over its professions, a region over its areas, England over
    // its regions, now and at each quarter's end) has exactly one withheld part, total included.
    const all = [...body.rows, ...body.byProfession];
    const sums: Array<{ what: string; parts: boolean[] }> = [];
    const withheldOf = (r: CoverageRow, quarter?: string) =>
      quarter ? r.trend.find((q) => q.quarterEnd === quarter)!.certified.withheld : r.certified.withheld;
    for (const measure of ['certified', 'inTraining'] as const)
      for (const total of body.rows) {
        const professions = body.byProfession.filter((r) => r.name === total.name);
        sums.push({
          what: `${total.name} ${measure}`,
          parts: [total, ...professions].map((r) => r[measure].withheld),
        });
      }
    for (const quarter of [undefined, ...body.quarterEnds]) {
      const regions = body.rows.filter((r) => r.level === 'region');
      for (const region of regions)
        sums.push({
          what: `${region.name} ${quarter ?? 'now'}`,
          parts: [region, ...body.rows.filter((r) => r.level === 'area' && r.region === region.name)].map(
            (r) => withheldOf(r, quarter),
          ),
        });
      sums.push({
        what: `England ${quarter ?? 'now'}`,
        parts: [row(body, 'England'), ...regions].map((r) => withheldOf(r, quarter)),
      });
    }
    for (const sum of sums)
      expect({ sum: sum.what, withheld: sum.parts.filter(Boolean).length }).not.toEqual({
        sum: sum.what,
        withheld: 1,
      });
    const json = JSON.stringify(body);
    for (const withheld of all.filter((r) => r.certified.withheld))
      expect(JSON.stringify(withheld.certified)).not.toMatch(/"count":\d/);
    expect(json).not.toMatch(/Practitioner Number/);
    for (const id of people) expect(json).not.toContain(id);
  });

  it('shows a commissioner only their areas, and their region only when it is all theirs', async () => {
    const agent = await t.signedIn(commissioner);
    const body = await report(agent);
    expect(body.rows.map((r) => r.name)).toEqual(['Northbrook', 'Southwick', 'London']);
    const refused = await agent.get('/api/v1/reports/coverage?area=E06000901').expect(403);
    expect(refused.body.message).toMatch(/E06000901/);
    const one = await report(agent, '&area=E09000901');
    expect(one.rows.map((r) => r.name)).toEqual(['Northbrook']);
    const unknown = await agent.get('/api/v1/reports/coverage?area=E09999999').expect(400);
    expect(unknown.body.errors.area[0]).toMatch(/E09999999/);
    const lead = await report(setup.leadAgent);
    // The lead's organisation is in the setup's area, alone in its region.
    expect(lead.rows.map((r) => r.level)).toEqual(['area', 'region']);
    for (const role of ['trainee', 'facilitator'] as const)
      await (await t.signedIn(await t.newUser([role]))).get('/api/v1/reports/coverage').expect(403);
    const exports = await admin.get(`/api/v1/audit-events?action=report.exported`).expect(200);
    expect(exports.body.events.some((e: { actorId: string }) => e.actorId === commissioner.id)).toBe(true);
  });

  it('narrows the trend to the period, and gives one profession with its own trend', async () => {
    const whole = await report(admin);
    const period = await report(admin, '&from=2025-06-01&to=2026-03-31');
    expect(period.quarterEnds).toEqual(['2025-06-30', '2025-09-30', '2025-12-31', '2026-03-31']);
    expect(period.filters).toMatchObject({ from: '2025-06-01', to: '2026-03-31' });
    for (const shown of period.rows) {
      const all = whole.rows.find((r) => r.name === shown.name && r.course === shown.course)!;
      expect(shown.trend).toEqual(all.trend.filter((q) => period.quarterEnds.includes(q.quarterEnd)));
      expect({ ...shown, trend: [] }).toEqual({ ...all, trend: [] });
    }
    expect(period.byProfession).toEqual(whole.byProfession);
    // A period before any quarter of the trend shows none of them.
    expect((await report(admin, '&to=2020-01-01')).rows.every((r) => r.trend.length === 0)).toBe(true);

    const visitors = await report(admin, '&profession=health_visitor');
    expect(visitors.byProfession).toEqual([]);
    expect(visitors.rows.map((r) => r.name)).toEqual(whole.rows.map((r) => r.name));
    for (const shown of visitors.rows) {
      const breakdown = whole.byProfession.find(
        (r) => r.name === shown.name && r.profession === 'health_visitor',
      )!;
      expect({ ...shown, trend: [], upcomingPlaces: null }).toEqual(breakdown);
      expect(shown.trend).toHaveLength(8);
    }
    expect(row(visitors, 'London', 'health_visitor').certified.shown).toBe('7');
  });

  it('gives CSV lines as wide as the header and the same figures as the JSON, whatever the filters', async () => {
    for (const query of [
      '',
      '&from=2025-06-01&to=2026-03-31',
      '&to=2020-01-01',
      '&profession=social_worker',
    ]) {
      const body = await report(admin, query);
      const response = await admin
        .get(`/api/v1/reports/coverage?course=foundation${query}&format=csv`)
        .expect(200);
      const [header, ...lines]: string[][] = parse(response.text, { bom: true, relax_column_count: true });
      expect(header).toHaveLength(10 + body.quarterEnds.length + body.quarterStarts.length + 1);
      for (const line of lines) expect(line).toHaveLength(header.length);
      const json = [...body.rows, ...body.byProfession];
      expect(lines).toHaveLength(json.length);
      lines.forEach((line, at) => {
        const r = json[at];
        expect(line.slice(0, 10)).toEqual([
          r.level,
          r.region ?? '',
          r.code ?? '',
          r.name,
          r.courseName,
          r.professionName,
          r.certified.shown,
          r.inTraining.shown,
          String(r.headcount),
          r.coveragePercent === null ? '' : r.coveragePercent.toFixed(1),
        ]);
        expect(line.slice(10, 10 + body.quarterEnds.length)).toEqual(
          body.quarterEnds.map((day) => r.trend.find((q) => q.quarterEnd === day)?.certified.shown ?? ''),
        );
        expect(line.at(-1)).toBe(body.refreshedAt);
      });
    }
  });

  it('gives a CSV that Excel opens: UTF-8 with a byte order mark, one header row, ISO dates', async () => {
    const response = await admin.get('/api/v1/reports/coverage?course=foundation&format=csv').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(response.text.charCodeAt(0)).toBe(0xfeff);
    const lines = response.text.slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toMatch(
      /^Level,Region,Area code,Area,Course,Profession,Certified,In training,Headcount,Coverage %,Certified on \d{4}-\d{2}-\d{2},/,
    );
    expect(lines.filter((line) => line.startsWith('Level,'))).toHaveLength(1);
    expect(lines).toContain(
      lines.find((line) =>
        line.startsWith('area,South East,E06000901,Eastleigh Vale,Foundation,All professions,12,<5,45,26.7,'),
      )!,
    );
    expect(response.text).not.toMatch(/Practitioner Number/);
  });

  it('says what is wrong with a filter', async () => {
    const wrong = await admin.get(
      '/api/v1/reports/coverage?course=knitting&profession=wizard&from=2026-13-01&area=nope',
    );
    expect(wrong.status).toBe(400);
    expect(Object.keys(wrong.body.errors).sort()).toEqual(['area', 'course', 'from', 'profession']);
  });

  it('shows the report as a page with charts described in words and the same figures in tables', async () => {
    const agent = await t.signedIn(commissioner);
    const page = (await agent.get('/reports/coverage?course=foundation').expect(200)).text;
    expect(page).toMatch(/Numbers as of \d+ \w+ \d{4} at \d{2}:\d{2}/);
    expect(page).toMatch(
      /<svg class="app-chart"[^>]*role="img" aria-labelledby="chart-\d+-title chart-\d+-desc"/,
    );
    expect(page).toContain('Northbrook: 30.0% certified; Southwick: 27.5% certified');
    expect(page).not.toContain('Eastleigh Vale');
    expect(page).toMatch(/href="\/api\/v1\/reports\/coverage\?[^"]*format(=|&#x3D;)csv"/);
    const wrong = (await agent.get('/reports/coverage?from=soon&area=E06000901').expect(200)).text;
    expect(wrong).toContain('govuk-error-summary');
    expect(wrong).toMatch(/id="from-error"[^>]*>.*Enter the start of the period as a date/s);
    const refused = await agent.get('/reports/coverage?area=E06000901').expect(403);
    expect(refused.text).toMatch(/not one of your areas/);
    const dashboard = (await agent.get('/').expect(200)).text;
    expect(dashboard).toContain('Northbrook, Foundation');
    expect(dashboard).toMatch(/9 certified of 30 \(30\.0%\), 0 in training/);
    const trainee = await t.signedIn(await t.newUser(['trainee']));
    await trainee.get('/reports/coverage').expect(403);
  });

  it('brings the summary up to date after a certificate is revoked, through its event', async () => {
    await setup.leadAgent
      .post(`/api/v1/certificates/${revocable}/revoke`)
      .send({ reason: 'Issued in error' })
      .expect(200);
    await eventually('the summary refreshed', async () => {
      const body = await report(admin);
      return row(body, 'Eastleigh Vale').certified.shown === '11';
    });
  });
});
