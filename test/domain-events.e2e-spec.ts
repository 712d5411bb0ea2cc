import { setTimeout as sleep } from 'node:timers/promises';
import { EventsService } from 'src/events/events.service';
import { UsersService } from 'src/users/users.service';
import { PrivateRedis } from './support/private-redis';
import { hideRefusedConnections } from './support/refused-connections';
import { TestApp } from './support/test-app';

describe('Domain events', () => {
  let redis: PrivateRedis;
  let t: TestApp;
  let events: EventsService;
  let users: UsersService;
  let sequence = 0;

  beforeAll(async () => {
    hideRefusedConnections();
    redis = await PrivateRedis.onFreePort();
    await redis.start();
    t = await TestApp.start({ REDIS_URL: redis.url, MAIL_RETRY_DELAY_MS: '20' });
    events = t.app.get(EventsService);
    users = t.app.get(UsersService);
  });

  afterAll(async () => {
    await t.close();
    await redis.stop();
  });

  const invite = (email: string) =>
    users.create(null, { email, name: `Invited ${++sequence}`, roles: ['trainee'] });

  const eventOf = async (userId: string) => {
    const [event] = await t.dataSource.query(
      `SELECT id, completed_at FROM domain_events WHERE name = 'user.invited' AND payload->>'userId' = $1`,
      [userId],
    );
    return event as { id: string; completed_at: Date | null };
  };

  const mailsTo = (email: string) => t.smtp.messages.filter((message) => message.to.includes(email));

  const settle = async (until: () => Promise<boolean>) => {
    const deadline = Date.now() + 15_000;
    while (!(await until())) {
      if (Date.now() > deadline) throw new Error('Timed out');
      await sleep(50);
    }
  };

  it('writes the event with the change, and delivers it after commit', async () => {
    const { user } = await invite('first@events.example.org');
    await t.smtp.waitFor('first@events.example.org');
    await settle(async () => (await eventOf(user.id)).completed_at !== null);
    const deliveries = await t.dataSource.query(
      'SELECT handler FROM domain_event_deliveries WHERE event_id = $1',
      [(await eventOf(user.id)).id],
    );
    expect(deliveries).toEqual([{ handler: 'notifications.invitation' }]);
  });

  it('loses nothing when Redis is down at commit: the sweeper delivers it once Redis is back', async () => {
    await redis.stop();
    const { user } = await invite('offline@events.example.org');
    const stored = await eventOf(user.id);
    expect(stored.completed_at).toBeNull();
    await sleep(500);
    expect(mailsTo('offline@events.example.org')).toHaveLength(0);

    await redis.start();
    expect(await events.sweep(0)).toBeGreaterThanOrEqual(1);
    await t.smtp.waitFor('offline@events.example.org', { timeoutMs: 30_000 });
    await settle(async () => (await eventOf(user.id)).completed_at !== null);
    await sleep(500);
    expect(mailsTo('offline@events.example.org')).toHaveLength(1);
  });

  it('handles an event once however often it is dispatched and delivered, even at the same moment', async () => {
    const { user } = await invite('twice@events.example.org');
    const { id } = await eventOf(user.id);
    await Promise.all([
      events.deliver(id, false).catch(() => undefined),
      events.deliver(id, false).catch(() => undefined),
      events.dispatch([id]),
      events.dispatch([id]),
    ]);
    await events.sweep(0);
    await settle(async () => (await eventOf(user.id)).completed_at !== null);
    await t.smtp.waitFor('twice@events.example.org');
    await sleep(500);
    expect(mailsTo('twice@events.example.org')).toHaveLength(1);
    const deliveries = await t.dataSource.query(
      'SELECT count(*)::int AS n FROM domain_event_deliveries WHERE event_id = $1',
      [id],
    );
    expect(deliveries[0].n).toBe(1);
  });

  it('retries a failing handler without running again the handlers that succeeded', async () => {
    const runs: string[] = [];
    events.on('user.invited', 'test.flaky', async ({ userId }) => {
      runs.push(userId);
      if (runs.filter((id) => id === userId).length === 1) throw new Error('flaky handler, first try');
    });
    const { user } = await invite('retried@events.example.org');
    await settle(async () => (await eventOf(user.id)).completed_at !== null);
    expect(runs.filter((id) => id === user.id)).toHaveLength(2);
    expect(mailsTo('retried@events.example.org')).toHaveLength(1);
    const handlers = await t.dataSource.query(
      'SELECT handler FROM domain_event_deliveries WHERE event_id = $1 ORDER BY handler',
      [(await eventOf(user.id)).id],
    );
    expect(handlers).toEqual([{ handler: 'notifications.invitation' }, { handler: 'test.flaky' }]);
  });

  it('sends nothing for a change that rolled back', async () => {
    await expect(
      t.dataSource.transaction(async (manager) => {
        await events.publish(manager, 'user.invited', {
          userId: '00000000-0000-4000-8000-000000000001',
          invitedById: null,
        });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM domain_events WHERE payload->>'userId' = '00000000-0000-4000-8000-000000000001'`,
    );
    expect(n).toBe(0);
  });
});
