import TestAgent from 'supertest/lib/agent';
import { linkIn } from './support/smtp-capture';
import { csrfTokenFrom, TestApp, TestUser } from './support/test-app';

describe('Account scope', () => {
  let t: TestApp;
  let admin: TestUser;
  let adminAgent: TestAgent;
  let organisationId: string;
  let areaId: string;
  let lead: TestUser;
  let leadAgent: TestAgent;

  beforeAll(async () => {
    t = await TestApp.start();
    admin = await t.newUser(['admin']);
    adminAgent = await t.signedIn(admin);
    ({ id: organisationId, areaId } = await t.newOrganisation());
    lead = await t.newUser(['training_lead', 'facilitator'], { organisationId });
    leadAgent = await t.signedIn(lead);
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('a training lead', () => {
    it('cannot rename, give roles to or disable an admin of their own organisation', async () => {
      const colleague = await t.newUser(['admin'], { organisationId });
      const rename = await leadAgent
        .patch(`/api/v1/users/${colleague.id}`)
        .send({ name: 'Renamed' })
        .expect(403);
      expect(rename.body.message).toMatch(/only the trainee and facilitator accounts/);
      await leadAgent
        .patch(`/api/v1/users/${colleague.id}`)
        .send({ roles: ['admin', 'trainee'] })
        .expect(403);
    });

    it('cannot change another training lead or a commissioner of their organisation', async () => {
      for (const roles of [['training_lead'], ['commissioner']] as const) {
        const other = await t.newUser([...roles], { organisationId });
        await leadAgent.patch(`/api/v1/users/${other.id}`).send({ name: 'Renamed' }).expect(403);
        await leadAgent.post(`/api/v1/users/${other.id}/invitation`).send({}).expect(403);
      }
    });

    it('cannot change their own account, by the API or the form, however the id is spelt', async () => {
      for (const id of [lead.id, lead.id.toUpperCase()]) {
        await leadAgent
          .patch(`/api/v1/users/${id}`)
          .send({ roles: ['training_lead', 'trainee'] })
          .expect(403);
        await leadAgent.patch(`/api/v1/users/${id}`).send({ name: 'Me' }).expect(403);
      }
      const csrf = await csrfTokenFrom(leadAgent, `/admin/users/${lead.id}`);
      const page = await leadAgent
        .post(`/admin/users/${lead.id}`)
        .type('form')
        .send({ _csrf: csrf, name: lead.name, roles: ['trainee', 'facilitator'] })
        .expect(403);
      expect(page.text).toContain('only the trainee and facilitator accounts');
      const stored: Array<{ roles: string[] }> = await t.dataSource.query(
        'SELECT roles FROM users WHERE id = $1',
        [lead.id],
      );
      expect(stored[0].roles).toEqual(['training_lead', 'facilitator']);
    });

    it('is shown the accounts they may not change without a form to change them', async () => {
      const colleague = await t.newUser(['admin'], { organisationId });
      for (const id of [colleague.id, lead.id]) {
        const page = await leadAgent.get(`/admin/users/${id}`).expect(200);
        expect(page.text).toContain('Only an administrator can change this account.');
        expect(page.text).not.toContain('Save changes');
      }
      const trainee = await t.newUser(['trainee'], { organisationId });
      const page = await leadAgent.get(`/admin/users/${trainee.id}`).expect(200);
      expect(page.text).toContain('Save changes');
      expect(page.text).not.toContain('Only an administrator can change this account.');
    });

    it('is not offered "No organisation" for the people they invite or change', async () => {
      const trainee = await t.newUser(['trainee'], { organisationId });
      for (const path of ['/admin/users/new', `/admin/users/${trainee.id}`]) {
        const page = await leadAgent.get(path).expect(200);
        expect(page.text).not.toContain('No organisation');
      }
    });

    it('still manages the trainees and facilitators of their organisation', async () => {
      const trainee = await t.newUser(['trainee'], { organisationId });
      await leadAgent
        .patch(`/api/v1/users/${trainee.id}`)
        .send({ name: 'Renamed Trainee', roles: ['trainee', 'facilitator'] })
        .expect(200);
    });

    it('cannot set commissioned areas when creating a person', async () => {
      const response = await leadAgent
        .post('/api/v1/users')
        .send({ email: 'areas@example.org', name: 'With Areas', roles: ['trainee'], areaIds: [areaId] })
        .expect(403);
      expect(response.body.message).toMatch(/Only an administrator/);
    });

    it('cannot record an accreditation or a completion, not even their own', async () => {
      const trainee = await t.newUser(['trainee'], { organisationId });
      for (const id of [lead.id, trainee.id]) {
        await leadAgent
          .post(`/api/v1/users/${id}/accreditations`)
          .send({ courseCode: 'foundation', grantedOn: '2024-01-01', expiresOn: '2027-01-01' })
          .expect(403);
        await leadAgent
          .post(`/api/v1/users/${id}/completions`)
          .send({ courseCode: 'foundation', completedOn: '2024-01-01' })
          .expect(403);
      }
    });
  });

  describe('an admin', () => {
    it('records completions and accreditations only on or before today', async () => {
      const trainee = await t.newUser(['trainee'], { organisationId });
      const completion = await adminAgent
        .post(`/api/v1/users/${trainee.id}/completions`)
        .send({ courseCode: 'foundation', completedOn: '2099-06-30' })
        .expect(400);
      expect(completion.body.errors.completedOn).toEqual(['The completion date must be today or earlier']);
      const accreditation = await adminAgent
        .post(`/api/v1/users/${trainee.id}/accreditations`)
        .send({ courseCode: 'foundation', grantedOn: '2099-01-01', expiresOn: '2102-01-01' })
        .expect(400);
      expect(accreditation.body.errors.grantedOn).toEqual(['The date granted must be today or earlier']);
      const completions = await adminAgent.get(`/api/v1/users/${trainee.id}/completions`).expect(200);
      expect(completions.body).toEqual([]);
    });

    it('cannot remove their own admin role or disable themselves, however the id is spelt', async () => {
      for (const id of [admin.id, admin.id.toUpperCase()]) {
        await adminAgent
          .patch(`/api/v1/users/${id}`)
          .send({ roles: ['trainee'] })
          .expect(422);
        await adminAgent.patch(`/api/v1/users/${id}`).send({ status: 'disabled' }).expect(422);
      }
    });

    /** Invites a person through the API; returns their id and the token their invitation e-mail carries. */
    async function invite(email: string): Promise<{ id: string; token: string }> {
      const created = await adminAgent
        .post('/api/v1/users')
        .send({ email, name: 'Invited Person', roles: ['trainee'] })
        .expect(201);
      const link = linkIn(await t.smtp.waitFor(email), 'http://localhost:3000/accept-invitation?token=');
      return { id: created.body.id, token: new URL(link).searchParams.get('token')! };
    }

    async function expectInvitationRefused(token: string): Promise<void> {
      const refused = await t
        .agent()
        .post('/api/v1/auth/accept-invitation')
        .send({ token, password: 'a long enough password' })
        .expect(400);
      expect(refused.body.message).toMatch(/expired or has already been used/);
    }

    it('disables an invited person: the invitation link then fails, and enabling returns them to invited', async () => {
      const { id, token } = await invite('invited.leaver@example.org');
      const disabled = await adminAgent.patch(`/api/v1/users/${id}`).send({ status: 'disabled' }).expect(200);
      expect(disabled.body.status).toBe('disabled');
      await expectInvitationRefused(token);
      const audit = await adminAgent
        .get(`/api/v1/audit-events?action=user.disabled&subjectId=${id}`)
        .expect(200);
      expect(audit.body.total).toBe(1);
      const resend = await adminAgent.post(`/api/v1/users/${id}/invitation`).send({}).expect(422);
      expect(resend.body.message).toMatch(/disabled: an administrator must enable it/);
      const enabled = await adminAgent.patch(`/api/v1/users/${id}`).send({ status: 'active' }).expect(200);
      expect(enabled.body.status).toBe('invited');
      await adminAgent.post(`/api/v1/users/${id}/invitation`).send({}).expect(202);
    });

    it('disables an invited person from the page: the link then fails, and enabling them offers a new invitation', async () => {
      const { id, token } = await invite('invited.page@example.org');
      const page = await adminAgent.get(`/admin/users/${id}`).expect(200);
      expect(page.text).toContain('Invited: has not accepted yet');
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
      const setStatus = async (status: string) =>
        adminAgent
          .post(`/admin/users/${id}`)
          .type('form')
          .send({ _csrf: csrf, name: 'Invited Person', roles: 'trainee', status })
          .expect(303);
      await setStatus('disabled');
      const stored = await adminAgent.get(`/api/v1/users/${id}`).expect(200);
      expect(stored.body.status).toBe('disabled');
      await expectInvitationRefused(token);

      const disabledPage = await adminAgent.get(`/admin/users/${id}`).expect(200);
      expect(disabledPage.text).toContain('invited again if they never accepted');
      expect(disabledPage.text).not.toContain('Send a new invitation');
      await setStatus('active');
      const enabledPage = await adminAgent.get(`/admin/users/${id}`).expect(200);
      expect(enabledPage.text).toContain('Send a new invitation');
    });

    it('disables an active person: a password-reset link they asked for then fails', async () => {
      const user = await t.newUser(['trainee'], { organisationId });
      await t.agent().post('/api/v1/auth/password-reset').send({ email: user.email }).expect(202);
      const link = linkIn(await t.smtp.waitFor(user.email), 'http://localhost:3000/reset-password?token=');
      await adminAgent.patch(`/api/v1/users/${user.id}`).send({ status: 'disabled' }).expect(200);
      const refused = await t
        .agent()
        .post('/api/v1/auth/password-reset/confirm')
        .send({ token: new URL(link).searchParams.get('token'), password: 'a long enough password' })
        .expect(400);
      expect(refused.body.message).toMatch(/expired or has already been used/);
    });
  });
});
