import { TestApp } from './support/test-app';

describe('Screening logbook text', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start();
  });

  afterAll(async () => {
    await t.close();
  });

  it('names each identifier with where it is and how to write it instead, storing nothing', async () => {
    const trainee = await t.signedIn(await t.newUser(['trainee']));
    const text = 'Mum (Kayleigh) gave DOB 14/03/2019 and\nher number, 07700 900123.';
    const { body } = await trainee.post('/api/v1/logbook/screen').send({ text }).expect(200);
    expect(
      body.findings.map((f: { kind: string; text: string; severity: string }) => [
        f.kind,
        f.text,
        f.severity,
      ]),
    ).toEqual([
      ['name', 'Kayleigh', 'warning'],
      ['date_of_birth', '14/03/2019', 'refusal'],
      ['phone', '07700 900123', 'refusal'],
    ]);
    for (const finding of body.findings as Array<{
      start: number;
      end: number;
      text: string;
      advice: string;
    }>) {
      expect(text.slice(finding.start, finding.end)).toBe(finding.text);
      expect(finding.advice).toMatch(/\w/);
    }
    const { body: clean } = await trainee
      .post('/api/v1/logbook/screen')
      .send({ text: 'Session 3 on 14/03/2026: the mother and I practised summarising.' })
      .expect(200);
    expect(clean).toEqual({ findings: [] });
  });

  it('refuses a caller who is not signed in, and text that is too long or not text', async () => {
    await t.agent().post('/api/v1/logbook/screen').send({ text: 'hello' }).expect(401);
    const trainee = await t.signedIn(await t.newUser(['trainee']));
    const long = await trainee
      .post('/api/v1/logbook/screen')
      .send({ text: 'a'.repeat(20_001) })
      .expect(400);
    expect(long.body.errors.text).toEqual(['Screen at most 20,000 characters at once']);
    await trainee.post('/api/v1/logbook/screen').send({ text: 42 }).expect(400);
    await trainee.post('/api/v1/logbook/screen').send({}).expect(400);
  });
});
