import { Injectable, OnModuleInit } from '@nestjs/common';
import { DateTime } from 'luxon';
import type { EntityManager } from 'typeorm';
import { AuthService } from 'src/auth/auth.service';
import { CertificatesService } from 'src/certificates/certificates.service';
import { CohortsService } from 'src/cohorts/cohorts.service';
import { describeSessionTime, sessionVenue } from 'src/cohorts/schedule';
import { COURSE_NAMES } from 'src/courses/course-code';
import { EventsService } from 'src/events/events.service';
import { ENTRY_KIND_RULES } from 'src/logbooks/entry-kinds';
import { LogbooksService } from 'src/logbooks/logbooks.service';
import { MaterialIssuesService } from 'src/materials/material-issues.service';
import { NotificationsService } from 'src/notifications/notifications.service';
import { UsersService } from 'src/users/users.service';

const WITHDRAWN_WHAT: Record<string, string> = {
  enrolled: 'place',
  waitlisted: 'waiting-list position',
  requested: 'request for a place',
};

/**
 * Which e-mail each event calls for, and to whom. Features publish what happened; they do not compose mail.
 * Each handler runs in its delivery's transaction, so the e-mails it stores commit with it, exactly once.
 */
@Injectable()
export class NotificationListeners implements OnModuleInit {
  constructor(
    private readonly events: EventsService,
    private readonly notifications: NotificationsService,
    private readonly users: UsersService,
    private readonly auth: AuthService,
    private readonly cohorts: CohortsService,
    private readonly logbooks: LogbooksService,
    private readonly certificates: CertificatesService,
    private readonly materials: MaterialIssuesService,
  ) {}

  onModuleInit(): void {
    this.events.on(
      'user.invited',
      'notifications.invitation',
      async ({ userId, invitedById }, { manager }) => {
        const link = await this.users.invitationLinkIfInvited(userId, manager);
        if (!link) return; // Accepted (or disabled) before the e-mail was written: there is nothing to set up.
        const people = await this.users.contacts([userId, ...(invitedById ? [invitedById] : [])], manager);
        const person = people.get(userId)!;
        await this.notifications.compose(
          {
            to: person.email,
            template: 'invitation',
            context: {
              name: person.name,
              invitedBy: invitedById ? (people.get(invitedById)?.name ?? null) : null,
              link,
              expiresInDays: 7,
            },
            secretKeys: ['link'],
          },
          manager,
        );
      },
    );

    this.events.on(
      'auth.password_reset_requested',
      'notifications.password-reset',
      async ({ userId }, { manager }) => {
        const person = (await this.users.contacts([userId], manager)).get(userId)!;
        await this.notifications.compose(
          {
            to: person.email,
            template: 'password-reset',
            context: {
              name: person.name,
              link: await this.auth.passwordResetLink(userId, manager),
              expiresInMinutes: 60,
            },
            secretKeys: ['link'],
          },
          manager,
        );
      },
    );

    this.events.on('enrolment.placed', 'notifications.place', async (placed, { manager }) => {
      const [person, cohort] = await Promise.all([
        this.person(placed.traineeId, manager),
        this.cohorts.findCohort(placed.cohortId),
      ]);
      // Someone invited but not signed in yet gets one e-mail: their place, and the link to set up their account.
      const invitationLink = await this.users.invitationLinkIfInvited(placed.traineeId, manager);
      await this.notifications.compose(
        {
          to: person.email,
          template: placed.status === 'enrolled' ? 'enrolment-confirmed' : 'enrolment-waitlisted',
          context: {
            name: person.name,
            cohortTitle: cohort.title,
            position: placed.waitlistPosition,
            invitationLink,
          },
          secretKeys: ['invitationLink'],
        },
        manager,
      );
    });

    this.events.on(
      'enrolment.promoted',
      'notifications.promotion',
      async ({ traineeId, cohortId }, { manager }) => {
        const [person, cohort] = await Promise.all([
          this.person(traineeId, manager),
          this.cohorts.findCohort(cohortId),
        ]);
        await this.notifications.compose(
          {
            to: person.email,
            template: 'enrolment-promoted',
            context: { name: person.name, cohortTitle: cohort.title, cohortId },
          },
          manager,
        );
      },
    );

    this.events.on('enrolment.withdrawn', 'notifications.withdrawal', async (withdrawn, { manager }) => {
      // People who withdraw themselves have just seen it happen; only a withdrawal by someone else is news.
      if (withdrawn.byId === withdrawn.traineeId) return;
      const people = await this.users.contacts([withdrawn.traineeId, withdrawn.byId], manager);
      const person = people.get(withdrawn.traineeId)!;
      const cohort = await this.cohorts.findCohort(withdrawn.cohortId);
      await this.notifications.compose(
        {
          to: person.email,
          template: 'enrolment-withdrawn',
          context: {
            name: person.name,
            byName: people.get(withdrawn.byId)?.name ?? 'Your training lead',
            what: WITHDRAWN_WHAT[withdrawn.was] ?? 'place',
            cohortTitle: cohort.title,
          },
        },
        manager,
      );
    });

    this.events.on(
      'cohort.status_changed',
      'notifications.cancellation',
      async ({ cohortId, to }, { manager }) => {
        if (to !== 'cancelled') return;
        const cohort = await this.cohorts.findCohort(cohortId);
        const people = await this.users.contacts(await this.cohorts.peopleOn(cohortId, manager), manager, {
          reachableOnly: true,
        });
        for (const person of people.values()) {
          await this.notifications.compose(
            {
              to: person.email,
              template: 'cohort-cancelled',
              context: { name: person.name, cohortTitle: cohort.title },
            },
            manager,
          );
        }
      },
    );

    this.events.on(
      'certificate.made',
      'notifications.certificate',
      async ({ certificateId }, { manager }) => {
        const delivery = await this.certificates.delivery(certificateId);
        const person = await this.person(delivery.traineeId, manager);
        await this.notifications.compose(
          {
            to: person.email,
            template: 'certificate-issued',
            context: {
              name: person.name,
              courseName: delivery.courseName,
              cohortTitle: delivery.cohortTitle,
              serial: delivery.certificate.serial,
              verificationUrl: delivery.verificationUrl,
            },
            attachments: [delivery.attachment],
          },
          manager,
        );
      },
    );

    this.events.on(
      'accreditation.expiring',
      'notifications.accreditation-expiring',
      async ({ userId, courseCode, expiresOn, daysBefore }, { manager }) => {
        const person = await this.person(userId, manager);
        await this.notifications.compose(
          {
            to: person.email,
            template: 'accreditation-expiring',
            context: {
              name: person.name,
              courseName: COURSE_NAMES[courseCode],
              expiresOn: DateTime.fromISO(expiresOn).toFormat('d LLLL yyyy'),
              daysBefore,
            },
          },
          manager,
        );
      },
    );

    this.events.on(
      'material.available',
      'notifications.material-available',
      async (available, { manager }) => {
        const editions = await this.materials.describe(available.issueIds, manager);
        // Withdrawn again before this was delivered: nothing is there to download.
        if (editions.length === 0) return;
        const person = await this.person(available.holderId, manager);
        await this.notifications.compose(
          {
            to: person.email,
            template: 'material-available',
            context: { name: person.name, editions, several: editions.length > 1 },
          },
          manager,
        );
      },
    );

    this.events.on(
      'logbook.entry_returned',
      'notifications.entry-returned',
      async (returned, { manager }) => {
        const entry = await this.logbooks.findEntry(returned.entryId);
        const people = await this.users.contacts([returned.traineeId, returned.reviewerId], manager);
        const trainee = people.get(returned.traineeId)!;
        const [review] = await this.logbooks.latestReviews([returned.entryId]);
        await this.notifications.compose(
          {
            to: trainee.email,
            template: 'logbook-entry-returned',
            context: {
              name: trainee.name,
              reviewerName: people.get(returned.reviewerId)?.name ?? 'Your facilitator',
              entryKind: ENTRY_KIND_RULES[entry.kind].label.toLowerCase(),
              occurredOn: entry.occurredOn,
              feedback: review?.feedback ?? '',
              entryId: entry.id,
            },
          },
          manager,
        );
      },
    );

    this.events.on(
      'session.reminder_due',
      'notifications.reminder',
      async ({ sessionId, userIds }, { manager }) => {
        const session = await this.cohorts.findSession(sessionId);
        const cohort = await this.cohorts.findCohort(session.cohortId);
        const people = await this.users.contacts(userIds, manager, { reachableOnly: true });
        for (const person of people.values()) {
          await this.notifications.compose(
            {
              to: person.email,
              template: 'session-reminder',
              context: {
                name: person.name,
                cohortTitle: cohort.title,
                sessionTitle: session.title,
                when: describeSessionTime(session.startsAt, session.endsAt),
                venue: sessionVenue(session, cohort) ?? 'To be confirmed',
              },
            },
            manager,
          );
        }
      },
    );
  }

  private async person(userId: string, manager: EntityManager) {
    const person = (await this.users.contacts([userId], manager)).get(userId);
    if (!person) throw new Error(`No account ${userId} to write to`);
    return person;
  }
}
