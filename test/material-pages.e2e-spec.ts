import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import TestAgent from 'supertest/lib/agent';
import { samplePdf } from 'src/materials/sample-pdf.fixture';
import { csrfTokenFrom, TestApp } from './support/test-app';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const LIMIT = 2 * 1024 * 1024;

/** The error message shown beside a field, as its text. */
function errorBeside(html: string, field: string): string {
  const match = new RegExp(`id="${field}-error"[^>]*>([\\s\\S]*?)</p>`).exec(html);
  if (!match) throw new Error(`No error shown beside ${field}`);
  return match[1].replace(/<[^>]+>/g, '').trim();
}

/** The rows of the page's first table, each as its cells' text. */
function tableRows(html: string): string[][] {
  const body = /<tbody[^>]*>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1].matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((cell) =>
      cell[1]
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
    ),
  );
}

/** The add form as a browser posts it: each checkbox group's hidden empty value, then the boxes ticked. */
const handbook = {
  code: 'rph',
  title: 'Reflective Practice Handbook',
  kind: 'handbook',
  courseCodes: ['', 'foundation', 'supervision'],
  audience: ['', 'trainee'],
};

describe('Materials pages', () => {
  let t: TestApp;
  let admin: TestAgent;

  beforeAll(async () => {
    t = await TestApp.start({
      STORAGE_DIR: mkdtempSync(join(tmpdir(), 'fpm-material-pages-')),
      MATERIAL_MAX_BYTES: String(LIMIT),
    });
    admin = await t.signedIn(await t.newUser(['admin']));
  });

  afterAll(async () => {
    await t.close();
  });

  /** Posts the add form with the CSRF token of the catalogue page, expecting `status`. */
  async function addMaterial(agent: TestAgent, fields: Record<string, string | string[]>, status = 303) {
    const csrf = await csrfTokenFrom(agent, '/materials');
    return agent
      .post('/materials')
      .type('form')
      .send({ _csrf: csrf, ...fields })
      .expect(status);
  }

  /** Posts the upload form of a material's page, as multipart with its CSRF token. */
  async function uploadEdition(materialId: string, label: string, file: Buffer | null, notes = '') {
    const csrf = await csrfTokenFrom(admin, `/materials/${materialId}`);
    const request = admin
      .post(`/materials/${materialId}/editions`)
      .field('_csrf', csrf)
      .field('label', label)
      .field('notes', notes);
    return file ? request.attach('file', file, 'edition.pdf') : request;
  }

  async function newMaterial(code: string): Promise<string> {
    const { body } = await admin
      .post('/api/v1/materials')
      .send({
        code,
        title: `Manual ${code}`,
        kind: 'manual',
        courseCodes: ['facilitator'],
        audience: ['facilitator'],
      })
      .expect(201);
    return body.id;
  }

  it('lets an admin add a material through the form, then shows it in the catalogue', async () => {
    const added = await addMaterial(admin, handbook);
    expect(added.headers.location).toMatch(new RegExp(`^/materials/${UUID}$`));
    const page = await admin.get(added.headers.location).expect(200);
    expect(page.text).toContain('RPH, Reflective Practice Handbook, has been added to the catalogue.');
    expect(page.text).toContain('No edition has been uploaded yet.');
    expect(page.text).toContain('Foundation, Supervision');

    const catalogue = await admin.get('/materials').expect(200);
    expect(tableRows(catalogue.text)).toContainEqual([
      'RPH',
      'Reflective Practice Handbook',
      'Handbook',
      'Foundation, Supervision',
      'Trainees',
      'None uploaded yet',
      '0',
    ]);
  });

  it('takes one ticked box of a group, which a browser sends without the others', async () => {
    const added = await addMaterial(admin, {
      code: 'SWB',
      title: 'Supervision Workbook',
      kind: 'worksheet',
      courseCodes: 'supervision',
      audience: 'supervisor',
    });
    expect(added.headers.location).toMatch(new RegExp(`^/materials/${UUID}$`));
    const [material] = await t.dataSource.query(
      `SELECT course_codes AS "courseCodes", audience FROM materials WHERE code = 'SWB'`,
    );
    expect(material).toEqual({ courseCodes: ['supervision'], audience: ['supervisor'] });
  });

  it('shows a code already taken beside the code field, keeping every value typed and ticked', async () => {
    await addMaterial(admin, { ...handbook, code: 'DUP' });
    const refused = await addMaterial(admin, { ...handbook, code: 'dup', title: 'Another handbook' });
    expect(refused.headers.location).toBe('/materials');
    const form = await admin.get('/materials').expect(200);
    expect(errorBeside(form.text, 'code')).toBe(
      'Error: A material with code DUP is already in the catalogue',
    );
    expect(form.text).toContain('href="#code"');
    expect(form.text).toMatch(/id="code" name="code" type="text" value="dup"/);
    expect(form.text).toMatch(/id="title" name="title" type="text" value="Another handbook"/);
    expect(form.text).toMatch(/id="kind-handbook" name="kind" type="radio" value="handbook" checked/);
    expect(form.text).toMatch(/id="courseCodes-supervision"[^>]* checked/);
    expect(form.text).not.toMatch(/id="courseCodes-facilitator"[^>]* checked/);
    expect(form.text).toMatch(/id="audience-trainee"[^>]* checked/);
    const [{ count }] = await t.dataSource.query(
      `SELECT count(*)::int AS count FROM materials WHERE title = 'Another handbook'`,
    );
    expect(count).toBe(0);
  });

  it('says what is missing beside each field of an empty form', async () => {
    await addMaterial(admin, { code: '', title: '', courseCodes: '', audience: '' });
    const form = await admin.get('/materials').expect(200);
    for (const field of ['code', 'title', 'kind', 'courseCodes', 'audience'])
      expect(errorBeside(form.text, field)).toMatch(/^Error: (Enter|Choose)/);
  });

  it('shows a training lead the catalogue without the add form, and refuses the lead’s post', async () => {
    const lead = await t.signedIn(
      await t.newUser(['training_lead'], { organisationId: (await t.newOrganisation()).id }),
    );
    const catalogue = await lead.get('/materials').expect(200);
    expect(catalogue.text).toContain('Reflective Practice Handbook');
    expect(catalogue.text).toContain('href="/materials"');
    expect(catalogue.text).not.toContain('Add a material');
    expect(catalogue.text).not.toContain('action="/materials"');
    await addMaterial(lead, { ...handbook, code: 'LEAD' }, 403);
    const [{ count }] = await t.dataSource.query(
      `SELECT count(*)::int AS count FROM materials WHERE code = 'LEAD'`,
    );
    expect(count).toBe(0);

    const materialId = await newMaterial('LEADREAD');
    const page = await lead.get(`/materials/${materialId}`).expect(200);
    expect(page.text).toContain('Manual LEADREAD');
    expect(page.text).not.toContain('Upload a new edition');
  });

  it('refuses these pages to trainees, facilitators and commissioners', async () => {
    const materialId = await newMaterial('NOTYOURS');
    for (const role of ['trainee', 'facilitator', 'commissioner'] as const) {
      const person = await t.signedIn(await t.newUser([role]));
      await person.get('/materials').expect(403);
      await person.get(`/materials/${materialId}`).expect(403);
      const page = await person.get('/').expect(200);
      expect(page.text).not.toContain('href="/materials"');
    }
  });

  it('uploads an edition from the page: it becomes current, and the edition before stays listed', async () => {
    const materialId = await newMaterial('FTM');
    await uploadEdition(materialId, '1st edition (2009)', await samplePdf(3));
    // A file over the app's usual 1 MB limit and under this route's own limit.
    const second = Buffer.concat([await samplePdf(5), Buffer.alloc(1024 * 1024, 32)]);
    const posted = await uploadEdition(materialId, '2nd edition (2024)', second, 'Chapter 4 rewritten.');
    expect(posted.headers.location).toBe(`/materials/${materialId}`);

    const page = await admin.get(`/materials/${materialId}`).expect(200);
    expect(page.text).toContain('2nd edition (2024) is now the current edition of FTM.');
    const rows = tableRows(page.text);
    expect(rows).toHaveLength(2);
    expect(rows[0][0]).toBe('2nd edition (2024) Current Chapter 4 rewritten.');
    expect(rows[0][2]).toBe('5 pages, 1 MB');
    expect(rows[1][0]).toBe('1st edition (2009)');
    expect(rows[1][2]).toMatch(/^3 pages, \d+ KB$/);
    const [edition] = await t.dataSource.query(
      `SELECT sha256 FROM material_editions WHERE label = '2nd edition (2024)' AND current`,
    );
    expect(rows[0][3]).toContain(`${edition.sha256.slice(0, 12)}…`);
    expect(rows[0][3]).toContain(edition.sha256);
    expect(rows[0][1]).toMatch(/by Person \d+$/);

    const catalogue = await admin.get('/materials').expect(200);
    const row = tableRows(catalogue.text).find((cells) => cells[0] === 'FTM');
    expect(row?.[5]).toMatch(/^2nd edition \(2024\) Uploaded /);
    expect(row?.[6]).toBe('2');
  });

  let refusals = 0;
  it.each<[string, () => Promise<Buffer | null>, string, string]>([
    ['no file', async () => null, 'file', 'Choose the PDF of the edition to upload'],
    ['a text file named .pdf', async () => Buffer.from('Not a PDF\n'), 'file', 'not a PDF'],
    [
      'an encrypted PDF',
      () => samplePdf(2, { userPassword: 'secret', pdfVersion: '1.7' }),
      'file',
      'encrypted',
    ],
    ['a label already used', () => samplePdf(), 'label', 'already has an edition called First'],
    [
      'a file over the limit',
      async () => Buffer.concat([await samplePdf(), Buffer.alloc(LIMIT, 32)]),
      'file',
      'The file is larger than this upload allows (2 MB)',
    ],
  ])('shows %s beside its field, keeping the label and notes', async (_what, file, field, message) => {
    const materialId = await newMaterial(`REFUSED-${++refusals}`);
    await uploadEdition(materialId, 'First', await samplePdf());
    await admin.get(`/materials/${materialId}`).expect(200);
    const label = field === 'label' ? 'First' : 'Second';
    const refused = await uploadEdition(materialId, label, await file(), 'Kept notes');
    expect(refused.headers.location).toBe(`/materials/${materialId}`);

    const page = await admin.get(`/materials/${materialId}`).expect(200);
    expect(errorBeside(page.text, field)).toContain(message);
    expect(page.text).toContain(`href="#${field}"`);
    expect(page.text).toMatch(new RegExp(`id="label" name="label" type="text" value="${label}"`));
    expect(page.text).toMatch(/<textarea[^>]* id="notes"[^>]*>Kept notes<\/textarea>/);
    expect(tableRows(page.text)).toHaveLength(1);
  });

  it('refuses an upload from the page to a training lead, and one without the form’s token', async () => {
    const materialId = await newMaterial('NOUPLOAD');
    const lead = await t.signedIn(await t.newUser(['training_lead']));
    const csrf = await csrfTokenFrom(lead, '/materials');
    await lead
      .post(`/materials/${materialId}/editions`)
      .field('_csrf', csrf)
      .field('label', 'By a lead')
      .attach('file', await samplePdf(), 'edition.pdf')
      .expect(403);
    await admin
      .post(`/materials/${materialId}/editions`)
      .field('label', 'Cross-site')
      .attach('file', await samplePdf(), 'edition.pdf')
      .expect(403);
    const [{ count }] = await t.dataSource.query(
      `SELECT count(*)::int AS count FROM material_editions WHERE material_id = $1`,
      [materialId],
    );
    expect(count).toBe(0);
  });
});
