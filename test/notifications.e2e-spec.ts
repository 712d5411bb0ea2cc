import { NotificationsService } from 'src/notifications/notifications.service';
import { csrfTokenFrom, TestApp } from './support/test-app';

async function waitForStatus(
  t: TestApp,
  id: string,
  status: string,
): Promise<{ status: string; attempts: number; last_error: string | null }> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const [row] = await t.dataSource.query(
      'SELECT status, attempts, last_error FROM email_messages WHERE id = $1',
      [id],
    );
    if (row?.status === status) return row;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`E-mail ${id} never reached ${status}`);
}

describe('E-mail', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start({ MAIL_RETRY_DELAY_MS: '20' });
  });

  afterAll(async () => {
    await t.close();
  });

  it('sends HTML and text through SMTP and removes the single-use link from the stored copy', async () => {
    const message = await t.app.get(NotificationsService).compose({
      to: 'reader@example.org',
      template: 'invitation',
      context: {
        name: 'Reader',
        invitedBy: null,
        link: 'http://localhost:3000/accept-invitation?token=secret',
        expiresInDays: 7,
      },
      secretKeys: ['link'],
    });
    if (!message) throw new Error('The message was not composed');
    const mail = await t.smtp.waitFor('reader@example.org');
    expect(mail.html).toContain('Set up your account');
    expect(mail.text).toContain('token=secret');
    await waitForStatus(t, message.id, 'sent');
    const [row] = await t.dataSource.query('SELECT context FROM email_messages WHERE id = $1', [message.id]);
    expect(JSON.stringify(row.context)).not.toContain('secret');
  });

  it('retries with backoff, then shows a finally failed message to admins, who can send it again', async () => {
    t.smtp.failNext(6);
    const message = await t.app.get(NotificationsService).compose({
      to: 'bounce@example.org',
      template: 'password-reset',
      context: {
        name: 'Bounce',
        link: 'http://localhost:3000/reset-password?token=abc',
        expiresInMinutes: 60,
      },
    });
    if (!message) throw new Error('The message was not composed');
    const failed = await waitForStatus(t, message.id, 'failed');
    expect(failed.attempts).toBe(6);
    expect(failed.last_error).toMatch(/550/);

    const admin = await t.signedIn(await t.newUser(['admin']));
    const page = await admin.get('/admin/mail?status=failed').expect(200);
    expect(page.text).toContain('bounce@example.org');
    expect(page.text).toContain('Failed');

    const csrf = await csrfTokenFrom(admin, '/admin/mail?status=failed');
    await admin.post(`/admin/mail/${message.id}/retry`).type('form').send({ _csrf: csrf }).expect(303);
    await t.smtp.waitFor('bounce@example.org');
    await waitForStatus(t, message.id, 'sent');
  });
});
