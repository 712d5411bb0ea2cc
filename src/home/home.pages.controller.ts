import { Controller, Get, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { CurrentUser } from 'src/common/access.decorators';
import type { AuthUser } from 'src/common/request-context';
import { ROLE_LABELS } from 'src/common/role';
import { londonMoment } from 'src/common/london-date';
import { CoverageReportService } from 'src/reports/coverage-report.service';
import { LogbooksService } from 'src/logbooks/logbooks.service';
import { OrganisationsService } from 'src/organisations/organisations.service';
import { UsersService } from 'src/users/users.service';

interface DashboardLink {
  href: string;
  text: string;
  hint: string;
}

/** One dashboard, with a section for each role the person holds. */
@ApiExcludeController()
@Controller()
export class HomePagesController {
  constructor(
    private readonly users: UsersService,
    private readonly organisations: OrganisationsService,
    private readonly logbooks: LogbooksService,
    private readonly coverage: CoverageReportService,
  ) {}

  @Get()
  @Render('home/dashboard')
  async dashboard(@CurrentUser() user: AuthUser) {
    const roles = new Set(user.roles);
    const sections: Array<{
      role: string;
      intro: string;
      links: DashboardLink[];
      facts?: Array<{ key: string; value: string }>;
    }> = [];
    if (roles.has('admin')) {
      const summary = await this.users.rolesSummary();
      sections.push({
        role: ROLE_LABELS.admin,
        intro: 'Manage who can use the platform and the areas and organisations it covers.',
        facts: summary.map((row) => ({ key: ROLE_LABELS[row.role], value: `${row.count} active` })),
        links: [
          {
            href: '/admin/users/new',
            text: 'Invite a user',
            hint: 'They get an e-mail with a link to set a password.',
          },
          {
            href: '/admin/users',
            text: 'Users',
            hint: 'Roles, organisations, invitations and disabled accounts.',
          },
          {
            href: '/admin/areas',
            text: 'Areas',
            hint: 'Local authorities with ONS codes and workforce baselines.',
          },
          { href: '/admin/organisations', text: 'Organisations', hint: 'Councils, NHS trusts and partners.' },
          { href: '/admin/audit', text: 'Audit log', hint: 'Who did what, and when.' },
          { href: '/admin/mail', text: 'E-mail', hint: 'Messages sent, queued and failed, with retry.' },
          {
            href: '/admin/sign-in-locks',
            text: 'Sign-in locks',
            hint: 'Accounts locked after repeated failed sign-ins.',
          },
          {
            href: '/admin/retention',
            text: 'Retention',
            hint: 'How long each kind of record is kept, and what the nightly run removes.',
          },
        ],
      });
    }
    if (roles.has('training_lead')) {
      sections.push({
        role: ROLE_LABELS.training_lead,
        intro: 'You set up training for your organisation and invite the people who take part.',
        links: [
          {
            href: '/cohorts',
            text: 'Cohorts',
            hint: 'Schedules, facilitators, enrolment and waiting lists.',
          },
          {
            href: '/cohorts/new',
            text: 'Create a cohort',
            hint: 'Weekly sessions or dates one by one, in UK time.',
          },
          {
            href: '/admin/users',
            text: 'People in your organisation',
            hint: 'Invite trainees and facilitators.',
          },
          {
            href: '/admin/users/new',
            text: 'Invite a trainee or facilitator',
            hint: 'They get an e-mail to set up their account.',
          },
          {
            href: '/accreditations',
            text: 'Accreditations near expiry',
            hint: 'Facilitators whose accreditation ends within 90 days, and their renewals.',
          },
        ],
      });
    }
    if (roles.has('facilitator')) {
      const waiting = (await this.logbooks.reviewQueue(user)).length;
      sections.push({
        role: ROLE_LABELS.facilitator,
        intro: 'The cohorts you facilitate: their registers, logbooks and each trainee’s progress.',
        facts: [{ key: 'Logbook entries waiting for your review', value: String(waiting) }],
        links: [
          { href: '/my/cohorts', text: 'My cohorts', hint: 'Next sessions, registers and progress grids.' },
          {
            href: '/logbook/review-queue',
            text: 'Logbook reviews',
            hint:
              waiting === 1
                ? '1 entry is waiting, oldest first.'
                : `${waiting} entries are waiting, oldest first.`,
          },
          {
            href: '/my/calendar',
            text: 'Calendar subscription',
            hint: 'Your sessions in Outlook (NHSmail) or Google Calendar.',
          },
        ],
      });
    }
    if (roles.has('trainee')) {
      sections.push({
        role: ROLE_LABELS.trainee,
        intro: 'Your courses, upcoming sessions and progress.',
        links: [
          {
            href: '/my/courses',
            text: 'My courses',
            hint: 'Your places, waiting-list positions and open cohorts to join.',
          },
          {
            href: '/my/calendar',
            text: 'Calendar subscription',
            hint: 'Your sessions in Outlook (NHSmail) or Google Calendar.',
          },
        ],
      });
    }
    if (roles.has('commissioner')) {
      // Each area at a glance, Foundation first (the course most of the workforce takes); the report has the rest.
      const coverage = await this.coverage.report(user, {});
      sections.push({
        role: ROLE_LABELS.commissioner,
        intro:
          'Workforce coverage in the areas you commission: practitioners certified, as a share of the baseline.',
        facts: coverage.rows
          .filter((row) => row.level === 'area')
          .map((row) => ({
            key: `${row.name}, ${row.courseName}`,
            value: `${row.certified.shown} certified of ${row.headcount} (${row.coverageShown}), ${row.inTraining.shown} in training`,
          })),
        links: [
          {
            href: '/reports/coverage',
            text: 'Coverage report',
            hint: coverage.refreshedAt
              ? `By area, profession and quarter, with places coming; numbers as of ${londonMoment(new Date(coverage.refreshedAt))}.`
              : 'By area, profession and quarter, with places coming.',
          },
        ],
      });
    }
    return { title: 'Dashboard', sections };
  }
}
