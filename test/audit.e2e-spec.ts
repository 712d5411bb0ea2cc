import TestAgent from 'supertest/lib/agent';
import { TestApp, TestUser } from './support/test-app';

describe('Audit log', () => {
  let t: TestApp;
  let admin: TestUser;
  let agent: TestAgent;

  beforeAll(async () => {
    t = await TestApp.start();
    admin = await t.newUser(['admin']);
    agent = await t.signedIn(admin);
  });

  afterAll(async () => {
    await t.close();
  });

  it('filters by action, actor and subject, newest first, with the address and request id', async () => {
    const area = await agent
      .post('/api/v1/areas')
      .set('x-request-id', 'req-audit-1')
      .send({ code: 'E09000004', name: 'Bexley', region: 'London' })
      .expect(201);
    await agent.patch(`/api/v1/areas/${area.body.id}`).send({ name: 'Bexley (London)' }).expect(200);

    const bySubject = await agent.get(`/api/v1/audit-events?subjectId=${area.body.id}`).expect(200);
    expect(bySubject.body.events.map((event: { action: string }) => event.action)).toEqual([
      'area.updated',
      'area.created',
    ]);
    expect(bySubject.body.events[1]).toMatchObject({
      actorId: admin.id,
      requestId: 'req-audit-1',
      ipAddress: expect.any(String),
    });

    const byActor = await agent
      .get(`/api/v1/audit-events?actorId=${admin.id}&action=area.created`)
      .expect(200);
    expect(byActor.body.total).toBe(1);
    await agent.get('/api/v1/audit-events?actorId=not-a-uuid').expect(400);
    await agent.get('/api/v1/audit-events?from=yesterday').expect(400);
  });

  it('lists events on the admin page with filters', async () => {
    const page = await agent.get('/admin/audit?action=auth.signed_in').expect(200);
    expect(page.text).toContain('auth.signed_in');
    expect(page.text).toContain(admin.id);
    expect(page.text).not.toContain('area.created</td>');
  });
});
