import { EventsService, eventWiringProblems } from 'src/events/events.service';

describe('event wiring', () => {
  it('finds an event with no handler, and a handler waiting for an event nobody publishes', () => {
    expect(eventWiringProblems(['user.invited', 'mail.queued'], ['mail.queued', 'enrolment.placed'])).toEqual(
      ['user.invited has no handler', 'enrolment.placed is handled but never published'],
    );
    expect(eventWiringProblems(['mail.queued'], ['mail.queued'])).toEqual([]);
  });

  describe('at start', () => {
    // Only the registry is exercised here: nothing is published, so no database or queue is touched.
    const service = () => new EventsService({ subscribers: [] } as never, {} as never, {} as never);

    it('refuses to start when a declared event has no handler', () => {
      const events = service();
      events.declare('users', ['user.invited']);
      expect(() => events.onApplicationBootstrap()).toThrow(
        'Domain events are not wired: user.invited has no handler',
      );
      events.on('user.invited', 'notifications.invitation', async () => undefined);
      expect(() => events.onApplicationBootstrap()).not.toThrow();
    });

    it('refuses one event declared by two features, and one handler registered twice', () => {
      const events = service();
      events.declare('users', ['user.invited']);
      expect(() => events.declare('auth', ['user.invited'])).toThrow('declared by both users and auth');
      events.on('user.invited', 'notifications.invitation', async () => undefined);
      expect(() => events.on('user.invited', 'notifications.invitation', async () => undefined)).toThrow(
        'registered twice',
      );
    });
  });
});
