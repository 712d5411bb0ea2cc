import { cohortSetup, createCohort } from './support/cohort-factory';
import { TestApp } from './support/test-app';

describe('Licence report', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start();
  });

  afterAll(async () => {
    await t.close();
  });

  it('counts copies downloaded and printed per material, edition and organisation over a period', async () => {
    const admin = await t.signedIn(await t.newUser(['admin']));
    const [ours, theirs] = [await cohortSetup(t), await cohortSetup(t)];
    const [ourCohort, theirCohort] = [await createCohort(ours), await createCohort(theirs)];
    const [{ id: materialId }] = await t.dataSource.query(
      `INSERT INTO materials (code, title, kind, course_codes, audience)
       VALUES ('LR-RPH', 'Reflective Practice Handbook', 'handbook', '{foundation}', '{trainee}') RETURNING id`,
    );
    const [{ id: editionId }] = await t.dataSource.query(
      `INSERT INTO material_editions (material_id, label, notes, sha256, size_bytes, page_count, current, uploaded_by_id)
       VALUES ($1, '2nd edition', '', repeat('0', 64), 1, 1, true, $2) RETURNING id`,
      [materialId, ours.lead.id],
    );
    const holders = [await t.newUser(['trainee'], { name: 'Ayşe Yılmaz' }), await t.newUser(['trainee'])];
    let copyNumber = 0;
    const copy = async (holderId: string, cohortId: string, organisationId: string, day: string) => {
      const [{ id: issueId }] = await t.dataSource.query(
        `INSERT INTO material_issues (material_id, edition_id, holder_id, cohort_id, organisation_id, basis)
         VALUES ($1, $2, $3, $4, $5, 'trainee')
         ON CONFLICT (edition_id, holder_id, cohort_id) DO UPDATE SET basis = 'trainee' RETURNING id`,
        [materialId, editionId, holderId, cohortId, organisationId],
      );
      await t.dataSource.query(
        `INSERT INTO material_copies (issue_id, edition_id, copy_number, stamp, completed_at, sha256, size_bytes)
         VALUES ($1, $2, $3, 'stamp', $4::timestamptz, repeat('1', 64), 1)`,
        [issueId, editionId, ++copyNumber, day],
      );
    };
    // Two copies for Ayşe and one for the other in our organisation; one before the period; one cut off.
    await copy(holders[0].id, ourCohort.id, ours.organisationId, '2026-03-01T10:00:00Z');
    await copy(holders[0].id, ourCohort.id, ours.organisationId, '2026-03-31T23:30:00Z'); // 1 April in London
    await copy(holders[1].id, ourCohort.id, ours.organisationId, '2026-03-02T10:00:00Z');
    await copy(holders[1].id, theirCohort.id, theirs.organisationId, '2025-12-31T10:00:00Z');
    await t.dataSource.query(
      `INSERT INTO material_copies (issue_id, edition_id, copy_number, stamp) SELECT id, edition_id, 99, 'cut off'
         FROM material_issues WHERE cohort_id = $1 LIMIT 1`,
      [ourCohort.id],
    );
    for (const [cohortId, organisationId, copies, dispatched] of [
      [ourCohort.id, ours.organisationId, 12, '2026-02-10T09:00:00Z'],
      [theirCohort.id, theirs.organisationId, 8, '2026-03-15T09:00:00Z'],
      [theirCohort.id, theirs.organisationId, 5, null],
    ] as const)
      await t.dataSource.query(
        `INSERT INTO print_orders (material_id, edition_id, cohort_id, organisation_id, copies, status, requested_by_id, dispatched_at, tracking_ref)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, CASE WHEN $8::timestamptz IS NULL THEN NULL ELSE 'RM1GB' END)`,
        [
          materialId,
          editionId,
          cohortId,
          organisationId,
          copies,
          dispatched ? 'dispatched' : 'requested',
          ours.lead.id,
          dispatched,
        ],
      );

    const period = 'from=2026-01-01&to=2026-04-01';
    const report = (await admin.get(`/api/v1/reports/licences?${period}`).expect(200)).body;
    const mine = report.rows.filter((row: { material: { code: string } }) => row.material.code === 'LR-RPH');
    expect(mine).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          organisation: { id: ours.organisationId, name: expect.any(String) },
          edition: { id: editionId, label: '2nd edition' },
          digitalCopies: 3,
          holders: 2,
          printedCopies: 12,
          totalCopies: 15,
        }),
        expect.objectContaining({
          organisation: expect.objectContaining({ id: theirs.organisationId }),
          digitalCopies: 0,
          printedCopies: 8,
          totalCopies: 8,
        }),
      ]),
    );
    expect(mine).toHaveLength(2);
    // The last day of the period counts in UK time: 23:30 on 31 March UTC is 1 April in London.
    const marchOnly = (await admin.get('/api/v1/reports/licences?from=2026-03-01&to=2026-03-31').expect(200))
      .body;
    expect(
      marchOnly.rows.find(
        (row: { organisation: { id: string } }) => row.organisation.id === ours.organisationId,
      ).digitalCopies,
    ).toBe(2);

    const lead = await ours.leadAgent.get(`/api/v1/reports/licences?${period}`).expect(200);
    expect(lead.body.rows.map((row: { organisation: { id: string } }) => row.organisation.id)).toEqual([
      ours.organisationId,
    ]);

    const csv = await ours.leadAgent.get(`/api/v1/reports/licences?${period}&format=csv`).expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(csv.headers['content-disposition']).toMatch(/licences-2026-01-01-to-2026-04-01\.csv/);
    expect(csv.text.charCodeAt(0)).toBe(0xfeff);
    const lines = csv.text.slice(1).split('\r\n');
    expect(lines[0]).toBe(
      'Material code,Material,Edition,Organisation,Period from,Period to,Digital copies,People who downloaded,Printed copies,Total copies',
    );
    expect(lines[1]).toMatch(
      /^LR-RPH,Reflective Practice Handbook,2nd edition,.+,2026-01-01,2026-04-01,3,2,12,15$/,
    );
    const exported = await admin.get(`/api/v1/audit-events?action=report.exported`).expect(200);
    expect(exported.body.events[0]).toMatchObject({ actorId: ours.lead.id, details: { report: 'licences' } });

    const page = (await ours.leadAgent.get(`/reports/licences?${period}`).expect(200)).text;
    expect(page).toContain('Reflective Practice Handbook');
    expect(page).toMatch(/href="\/api\/v1\/reports\/licences\?from[^"]*2026-01-01[^"]*2026-04-01[^"]*csv"/);
  });

  it('says what is wrong with a period, and is only for administrators and training leads', async () => {
    const admin = await t.signedIn(await t.newUser(['admin']));
    const wrong = await admin.get('/api/v1/reports/licences?from=2026-02-30&format=xls').expect(400);
    expect(Object.keys(wrong.body.errors).sort()).toEqual(['format', 'from']);
    const backwards = await admin.get('/api/v1/reports/licences?from=2026-05-01&to=2026-04-01').expect(400);
    expect(backwards.body.errors.to[0]).toMatch(/before its start/);
    const page = (await admin.get('/reports/licences?from=2026-05-01&to=2026-04-01').expect(200)).text;
    expect(page).toContain('govuk-error-summary');
    expect(page).toMatch(/id="to-error"[^>]*>.*The end of the period must not be before its start/s);
    const noDate = (await admin.get('/reports/licences?from=soon').expect(200)).text;
    expect(noDate).toContain('Enter the start of the period as a date');
    for (const role of ['trainee', 'facilitator', 'commissioner'] as const) {
      const agent = await t.signedIn(await t.newUser([role]));
      await agent.get('/api/v1/reports/licences').expect(403);
      await agent.get('/reports/licences').expect(403);
    }
  });
});
