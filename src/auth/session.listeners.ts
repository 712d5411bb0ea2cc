import { Injectable, OnModuleInit } from '@nestjs/common';
import { SessionService } from 'src/auth/session.service';
import { EventsService } from 'src/events/events.service';

/** Sessions that end because of what happened elsewhere. */
@Injectable()
export class SessionListeners implements OnModuleInit {
  constructor(
    private readonly events: EventsService,
    private readonly sessions: SessionService,
  ) {}

  onModuleInit(): void {
    // A change of privilege signs the person out everywhere: they sign in again into what they now hold.
    this.events.on('user.access_changed', 'auth.end-sessions', async ({ userId }) => {
      await this.sessions.endAllFor(userId);
    });
    this.events.on('user.erased', 'auth.end-sessions', async ({ userId }) => {
      await this.sessions.endAllFor(userId);
    });
  }
}
