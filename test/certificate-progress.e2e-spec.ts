import type { Browser } from 'playwright-core';
import { launchBrowser, signInThroughBrowser } from './support/browser';
import { cohortSetup, CohortSetup, createCohort } from './support/cohort-factory';
import { TestApp } from './support/test-app';

describe('Progress of a cohort’s certificates on the lead’s page', () => {
  let t: TestApp;
  let browser: Browser;
  let baseUrl: string;
  let setup: CohortSetup;
  let cohortId: string;
  const certificateIds: string[] = [];

  beforeAll(async () => {
    t = await TestApp.start();
    ({ browser, baseUrl } = await launchBrowser(t));
    setup = await cohortSetup(t);
    const cohort = await createCohort(setup, { daysFromNow: -7, count: 1 });
    cohortId = cohort.id;
    // Two certificates waiting for their PDFs, written as issuing leaves them but with no job to make them, so
    // that the test decides when each is made.
    for (const n of [1, 2]) {
      const trainee = await t.newUser(['trainee']);
      const { body } = await setup.leadAgent
        .post(`/api/v1/cohorts/${cohortId}/enrolments`)
        .send({ traineeId: trainee.id })
        .expect(201);
      const [{ id }] = await t.dataSource.query(
        `INSERT INTO certificates (enrolment_id, course_code, serial, verification_code, holder_name, issued_by_id)
         VALUES ($1, 'foundation', $2, $3, $4, $5) RETURNING id`,
        [body.id, `FND-2026-99000${n}`, `progress-test-code-${n}`, trainee.name, setup.lead.id],
      );
      certificateIds.push(id);
    }
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  it('gives the same progress as JSON', async () => {
    const { body } = await setup.leadAgent.get(`/api/v1/cohorts/${cohortId}/certificates`).expect(200);
    expect(body.progress).toEqual({ total: 2, made: 0, failed: 0, queued: 2, text: '0 of 2 made' });
    expect(body.trainees.map((row: { certificate: { status: string } }) => row.certificate.status)).toEqual([
      'queued',
      'queued',
    ]);
  });

  it('updates live with JavaScript, and shows the finished page once none is waiting', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInThroughBrowser(page, baseUrl, setup.lead);
    await page.goto(`${baseUrl}/cohorts/${cohortId}/certificates`);
    const status = page.getByRole('status');
    await expect(status.textContent()).resolves.toContain('0 of 2 made');
    await expect(page.getByRole('link', { name: 'Refresh' }).isVisible()).resolves.toBe(false);
    await page.evaluate(() => ((globalThis as unknown as { sameDocument: boolean }).sameDocument = true));

    await t.dataSource.query(
      `UPDATE certificates SET status = 'issued', sha256 = repeat('a', 64), rendered_at = now() WHERE id = $1`,
      [certificateIds[0]],
    );
    await status.filter({ hasText: '1 of 2 made' }).waitFor({ timeout: 10_000 });
    // Updated in place: not a reload, and not the meta refresh kept for pages without JavaScript.
    await expect(
      page.evaluate(() => (globalThis as unknown as { sameDocument?: boolean }).sameDocument),
    ).resolves.toBe(true);

    await t.dataSource.query(
      `UPDATE certificates SET status = 'failed', last_error = 'Font missing' WHERE id = $1`,
      [certificateIds[1]],
    );
    await page.getByRole('button', { name: /Try again/ }).waitFor({ timeout: 10_000 });
    await expect(status.textContent()).resolves.toContain('1 of 2 made, 1 failed');
    await context.close();
  });

  it('refreshes itself without JavaScript while certificates are being made', async () => {
    await t.dataSource.query(`UPDATE certificates SET status = 'queued' WHERE id = $1`, [certificateIds[1]]);
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signInThroughBrowser(page, baseUrl, setup.lead);
    await page.goto(`${baseUrl}/cohorts/${cohortId}/certificates`);
    await expect(page.getByRole('link', { name: 'Refresh' }).isVisible()).resolves.toBe(true);
    await t.dataSource.query(`UPDATE certificates SET status = 'failed' WHERE id = $1`, [certificateIds[1]]);
    await page.getByRole('button', { name: /Try again/ }).waitFor({ timeout: 15_000 });
    await context.close();
  });
});
