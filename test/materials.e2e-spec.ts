import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import TestAgent from 'supertest/lib/agent';
import { sha256 } from 'src/common/sha256';
import { samplePdf } from 'src/materials/sample-pdf.fixture';
import { TestApp } from './support/test-app';

describe('Materials catalogue', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start();
  });

  afterAll(async () => {
    await t.close();
  });

  const handbook = {
    code: 'rph',
    title: 'Reflective Practice Handbook',
    kind: 'handbook',
    courseCodes: ['foundation'],
    audience: ['trainee'],
  };

  it('lets an admin add a material, audited, and refuses the same code twice, also at once', async () => {
    const admin = await t.signedIn(await t.newUser(['admin']));
    const answers = await Promise.all([
      admin.post('/api/v1/materials').send(handbook),
      admin.post('/api/v1/materials').send(handbook),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409]);
    const created = answers.find((answer) => answer.status === 201)!.body;
    expect(created).toMatchObject({ ...handbook, code: 'RPH' });
    const refused = answers.find((answer) => answer.status === 409)!.body;
    expect(refused).toMatchObject({ code: 'MATERIAL_CODE_TAKEN', field: 'code' });
    const audit = await admin.get(`/api/v1/audit-events?action=material.created&subjectId=${created.id}`);
    expect(audit.body.events).toHaveLength(1);

    const lead = await t.signedIn(
      await t.newUser(['training_lead'], { organisationId: (await t.newOrganisation()).id }),
    );
    const list = await lead.get('/api/v1/materials').expect(200);
    expect(list.body.map((material: { code: string }) => material.code)).toContain('RPH');
  });

  it('says what is wrong with each field, and lets nobody but an admin add one', async () => {
    const admin = await t.signedIn(await t.newUser(['admin']));
    const refused = await admin
      .post('/api/v1/materials')
      .send({ code: 'x', title: '', kind: 'poster', courseCodes: [], audience: ['parent', 'parent'] })
      .expect(400);
    expect(Object.keys(refused.body.errors).sort()).toEqual(
      ['audience', 'code', 'courseCodes', 'kind', 'title'].sort(),
    );
    const [{ count }] = await t.dataSource.query(
      `SELECT count(*)::int AS count FROM materials WHERE title = ''`,
    );
    expect(count).toBe(0);
    const lead = await t.signedIn(await t.newUser(['training_lead']));
    await lead
      .post('/api/v1/materials')
      .send({ ...handbook, code: 'FTM' })
      .expect(403);
    const trainee = await t.signedIn(await t.newUser(['trainee']));
    await trainee.get('/api/v1/materials').expect(403);
  });
});

describe('Material editions', () => {
  let t: TestApp;
  let admin: TestAgent;
  let materialId: string;
  let storage: string;

  const upload = (label: string, file: Buffer | null, filename = 'manual.pdf') => {
    const request = admin
      .post(`/api/v1/materials/${materialId}/editions`)
      .set('X-Requested-With', 'test')
      .field('label', label);
    return file ? request.attach('file', file, filename) : request.field('notes', '');
  };

  beforeAll(async () => {
    storage = mkdtempSync(join(tmpdir(), 'fpm-materials-'));
    t = await TestApp.start({ STORAGE_DIR: storage, MATERIAL_MAX_BYTES: String(1024 * 1024) });
    admin = await t.signedIn(await t.newUser(['admin']));
    const { body } = await admin
      .post('/api/v1/materials')
      .send({
        code: 'FTM',
        title: 'Facilitator Training Manual',
        kind: 'manual',
        courseCodes: ['facilitator'],
        audience: ['facilitator'],
      })
      .expect(201);
    materialId = body.id;
  });

  afterAll(async () => {
    await t.close();
  });

  it('stores an uploaded PDF with its SHA-256 and page count, the newest edition current', async () => {
    const first = await samplePdf(3);
    const { body: one } = await upload('1st edition (2009)', first).expect(201);
    expect(one).toMatchObject({
      label: '1st edition (2009)',
      pageCount: 3,
      current: true,
      sizeBytes: first.length,
    });
    expect(one.sha256).toBe(sha256(first));
    expect(readFileSync(join(storage, 'materials', `${one.id}.pdf`)).equals(first)).toBe(true);

    const { body: two } = await upload('2nd edition (2012)', await samplePdf(5)).expect(201);
    const { body: editions } = await admin.get(`/api/v1/materials/${materialId}/editions`).expect(200);
    expect(
      editions.map((edition: { id: string; current: boolean }) => [edition.id, edition.current]),
    ).toEqual([
      [two.id, true],
      [one.id, false],
    ]);
    await upload('2nd edition (2012)', await samplePdf()).expect(409);
    const audit = await admin.get(
      `/api/v1/audit-events?action=material.edition_added&subjectId=${materialId}`,
    );
    expect(audit.body.events).toHaveLength(2);
  });

  it.each<[string, () => Promise<Buffer | null>, number, string]>([
    ['no file', async () => null, 400, 'Choose the PDF'],
    ['a text file named .pdf', async () => Buffer.from('Not a PDF at all\n'), 422, 'not a PDF'],
    ['a damaged PDF', async () => (await samplePdf()).subarray(0, 700), 422, 'damaged'],
    ['an encrypted PDF', () => samplePdf(3, { userPassword: 'secret', pdfVersion: '1.7' }), 422, 'encrypted'],
  ])('refuses %s beside the file field, keeping nothing', async (_what, file, status, message) => {
    const before = readdirSync(join(storage, 'materials')).length;
    const { body } = await upload(`Refused ${status} ${message}`, await file()).expect(status);
    expect(body.message).toContain(message);
    expect(body.field).toBe('file');
    expect(readdirSync(join(storage, 'materials'))).toHaveLength(before);
    const [{ count }] = await t.dataSource.query(
      `SELECT count(*)::int AS count FROM material_editions WHERE label LIKE 'Refused%'`,
    );
    expect(count).toBe(0);
  });

  it('refuses a file over the configured size with 413, and a label left empty with 400', async () => {
    const tooBig = Buffer.concat([await samplePdf(), Buffer.alloc(1024 * 1024 + 1, 32)]);
    const tooLarge = await upload('Too big', tooBig).expect(413);
    expect(tooLarge.body).toMatchObject({
      code: 'FILE_TOO_LARGE',
      field: 'file',
      message: 'The file is larger than this upload allows (1 MB)',
    });
    const refused = await upload('', await samplePdf()).expect(400);
    expect(Object.keys(refused.body.errors)).toEqual(['label']);
  });

  it('refuses an upload without X-Requested-With, as a cross-site form would send it', async () => {
    await admin
      .post(`/api/v1/materials/${materialId}/editions`)
      .field('label', 'Cross-site')
      .attach('file', await samplePdf(), 'manual.pdf')
      .expect(415);
  });

  it('lets only an admin upload', async () => {
    const lead = await t.signedIn(await t.newUser(['training_lead']));
    await lead
      .post(`/api/v1/materials/${materialId}/editions`)
      .set('X-Requested-With', 'test')
      .field('label', 'By a lead')
      .attach('file', await samplePdf(), 'manual.pdf')
      .expect(403);
  });
});
