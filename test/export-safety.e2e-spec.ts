import { parse } from 'csv-parse/sync';
import ICAL from 'ical.js';
import TestAgent from 'supertest/lib/agent';
import { CoverageRefreshService } from 'src/reports/coverage-refresh.service';
import { cohortSetup, createCohort } from './support/cohort-factory';
import { TestApp } from './support/test-app';

const FORMULA = '=HYPERLINK("http://x")';
const AT_FORMULA = '@SUM(1)';
const PLUS_FORMULA = '+SUM(2)';

describe('Export safety', () => {
  let t: TestApp;
  let admin: TestAgent;

  beforeAll(async () => {
    t = await TestApp.start();
    admin = await t.signedIn(await t.newUser(['admin']));
  });

  afterAll(async () => {
    await t.close();
  });

  const csvRows = (text: string): string[][] => parse(text, { bom: true, relax_column_count: true });

  describe('CSV exports', () => {
    let areaId: string;
    let organisationId: string;

    beforeAll(async () => {
      areaId = (
        await admin
          .post('/api/v1/areas')
          .send({ code: 'E09000977', name: AT_FORMULA, region: FORMULA })
          .expect(201)
      ).body.id;
      organisationId = (
        await admin
          .post('/api/v1/organisations')
          .send({ name: FORMULA, kind: 'local_authority', areaId })
          .expect(201)
      ).body.id;
    });

    it('writes names that look like formulas as text in the licence report, and numbers as numbers', async () => {
      const materialId = (
        await admin
          .post('/api/v1/materials')
          .send({
            code: 'SAFE-CSV',
            title: PLUS_FORMULA,
            kind: 'handbook',
            courseCodes: ['foundation'],
            audience: ['trainee'],
          })
          .expect(201)
      ).body.id;
      const setup = await cohortSetup(t);
      const cohort = await createCohort(setup);
      const [{ id: editionId }] = await t.dataSource.query(
        `INSERT INTO material_editions (material_id, label, notes, sha256, size_bytes, page_count, current, uploaded_by_id)
         VALUES ($1, '-1st edition', '', repeat('0', 64), 1, 1, true, $2) RETURNING id`,
        [materialId, setup.lead.id],
      );
      await t.dataSource.query(
        `INSERT INTO print_orders (material_id, edition_id, cohort_id, organisation_id, copies, status, requested_by_id, dispatched_at, tracking_ref)
         VALUES ($1, $2, $3, $4, 7, 'dispatched', $5, '2026-02-10T09:00:00Z', 'RM1GB')`,
        [materialId, editionId, cohort.id, organisationId, setup.lead.id],
      );

      const period = 'from=2026-01-01&to=2026-04-01';
      const json = (await admin.get(`/api/v1/reports/licences?${period}`).expect(200)).body;
      expect(json.rows).toContainEqual(
        expect.objectContaining({ organisation: { id: organisationId, name: FORMULA } }),
      );
      const csv = await admin.get(`/api/v1/reports/licences?${period}&format=csv`).expect(200);
      const row = csvRows(csv.text).find((cells) => cells[0] === 'SAFE-CSV');
      expect(row).toEqual([
        'SAFE-CSV',
        `'${PLUS_FORMULA}`,
        "'-1st edition",
        `'${FORMULA}`,
        '2026-01-01',
        '2026-04-01',
        '0',
        '0',
        '7',
        '7',
      ]);
      for (const line of csv.text.slice(1).split('\r\n')) expect(line).not.toMatch(/(^|,)"?[=+@-]/);
    });

    it('writes area and region names that look like formulas as text in the coverage report', async () => {
      // One certified practitioner of the area: the summary's refresh needs a certificate to count.
      const setup = await cohortSetup(t);
      const cohort = await createCohort(setup, { daysFromNow: -400 });
      const trainee = await t.newUser(['trainee'], { organisationId });
      const [{ id: enrolmentId }] = await t.dataSource.query(
        `INSERT INTO enrolments (cohort_id, trainee_id, status, enrolled_at)
         VALUES ($1, $2, 'completed', now()) RETURNING id`,
        [cohort.id, trainee.id],
      );
      await t.dataSource.query(
        `INSERT INTO certificates (enrolment_id, course_code, serial, verification_code, holder_name, issued_by_id,
                                   status, issued_at)
         VALUES ($1, 'foundation', 'FND-2026-000977', 'export-safety', 'x', $2, 'issued', now())`,
        [enrolmentId, setup.lead.id],
      );
      await t.app.get(CoverageRefreshService).refresh();
      const csv = await admin.get('/api/v1/reports/coverage?course=foundation&format=csv').expect(200);
      const rows = csvRows(csv.text);
      const area = rows.find((cells) => cells[0] === 'area' && cells[2] === 'E09000977');
      expect(area?.slice(0, 4)).toEqual(['area', `'${FORMULA}`, 'E09000977', `'${AT_FORMULA}`]);
      const region = rows.find((cells) => cells[0] === 'region' && cells[3] === `'${FORMULA}`);
      expect(region?.[1]).toBe(`'${FORMULA}`);
      for (const cells of rows) for (const cell of cells) expect(cell).not.toMatch(/^[=+@\t\r]/);
      const json = (await admin.get(`/api/v1/reports/coverage?course=foundation&area=E09000977`).expect(200))
        .body;
      expect(json.rows[0]).toMatchObject({ name: AT_FORMULA, region: FORMULA });
    });
  });

  describe('iCalendar', () => {
    const injection = 'x\r\nBEGIN:VEVENT\r\nSUMMARY:evil';

    it('refuses line breaks in a cohort’s title and venue, and gives a safe calendar for the worst text it takes', async () => {
      const setup = await cohortSetup(t);
      const cohort = await createCohort(setup, { count: 3 });
      for (const field of ['title', 'venue']) {
        const refused = await setup.leadAgent
          .patch(`/api/v1/cohorts/${cohort.id}`)
          .send({ [field]: injection })
          .expect(400);
        expect(Object.keys(refused.body.errors)).toEqual([field]);
      }
      const title = `Evil\\n; BEGIN:VEVENT, SUMMARY:evil \\; ${'Séance-👪;'.repeat(15)}`;
      const venue = `Room 1; END:VEVENT, BEGIN:VEVENT: \\, ${'Centre civique;'.repeat(17)}`;
      await setup.leadAgent.patch(`/api/v1/cohorts/${cohort.id}`).send({ title, venue }).expect(200);

      const response = await setup.leadAgent.get(`/api/v1/cohorts/${cohort.id}/calendar.ics`).expect(200);
      const ics = response.text;
      for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
      expect(ics.split(/\r\n|\r|\n/).filter((line) => line === 'BEGIN:VEVENT')).toHaveLength(3);
      expect(ics.split(/\r\n|\r|\n/).filter((line) => /^SUMMARY:evil/.test(line))).toHaveLength(0);
      const calendar = new ICAL.Component(ICAL.parse(ics));
      const events = calendar.getAllSubcomponents('vevent');
      expect(events).toHaveLength(3);
      for (const event of events) {
        expect(String(event.getFirstPropertyValue('summary'))).toContain(title);
        expect(event.getFirstPropertyValue('location')).toBe(venue);
        expect(event.getAllProperties('summary')).toHaveLength(1);
      }
      expect(ics.replace(/\r\n /g, '')).toContain('X-WR-CALNAME:Evil\\\\n\\; BEGIN:VEVENT\\, SUMMARY:evil');
    });
  });

  describe('E-mail headers', () => {
    it('adds no header and no recipient for a cohort title or a name that carries a line break', async () => {
      const injection = '\r\nBcc: x@evil.test';
      const setup = await cohortSetup(t);
      const cohort = await createCohort(setup, { facilitatorIds: setup.facilitators.map((f) => f.id) });
      await setup.leadAgent.patch(`/api/v1/cohorts/${cohort.id}`).send({ status: 'open' }).expect(200);
      const trainee = await t.newUser(['trainee'], { email: 'headers@example.org' });
      // The API refuses line breaks in titles and names; text from elsewhere (an import, an old row) might not.
      await t.dataSource.query(`UPDATE cohorts SET title = $1 WHERE id = $2`, [
        `Foundation${injection}`,
        cohort.id,
      ]);
      await t.dataSource.query(`UPDATE users SET name = $1 WHERE id = $2`, [`Ann${injection}`, trainee.id]);

      await setup.leadAgent
        .post(`/api/v1/cohorts/${cohort.id}/enrolments`)
        .send({ traineeId: trainee.id })
        .expect(201);
      // The trainee is also told the course's handbook (made by the licence report test) is ready.
      const mail = await t.smtp.waitFor('headers@example.org', { subject: /^Your place on/ });
      expect(mail.recipients).toEqual(['headers@example.org']);
      expect(mail.to).toEqual(['headers@example.org']);
      expect(mail.headerLines.filter((line) => /^bcc:/i.test(line))).toEqual([]);
      expect(mail.subject).toBe('Your place on Foundation Bcc: x@evil.test is confirmed');
      const [stored] = await t.dataSource.query(
        `SELECT subject FROM email_messages WHERE to_address = $1 AND template = 'enrolment-confirmed'`,
        ['headers@example.org'],
      );
      expect(stored.subject).toBe('Your place on Foundation Bcc: x@evil.test is confirmed');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(t.smtp.messages.filter((message) => message.recipients.includes('x@evil.test'))).toEqual([]);
    });
  });
});
