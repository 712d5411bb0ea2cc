import 'reflect-metadata';
import { INestApplicationContext } from '@nestjs/common';
import { DateTime } from 'luxon';
import { CertificatesService } from 'src/certificates/certificates.service';
import type { RenderPool } from 'src/certificates/render-pool';
import { runWithApp } from 'src/cli/cli-context';
import { generateDemoWorkforce } from 'src/cli/workforce-data';
import {
  deliverLicensingEvents,
  downloadCopies,
  reviseHandbook,
  seedCatalogue,
} from 'src/cli/demo-materials';
import { AttendanceService } from 'src/cohorts/attendance.service';
import { CohortsService } from 'src/cohorts/cohorts.service';
import { EnrolmentsService } from 'src/cohorts/enrolments.service';
import { CompetenciesService } from 'src/competencies/competencies.service';
import { QualificationsService } from 'src/courses/qualifications.service';
import type { CreateEntryDto } from 'src/logbooks/dto/entry.dto';
import { LogbooksService } from 'src/logbooks/logbooks.service';
import type { AuthUser } from 'src/common/request-context';
import type { Role } from 'src/common/role';
import { PrintOrdersService } from 'src/materials/print-orders.service';
import { OrganisationsService } from 'src/organisations/organisations.service';
import type { Profession } from 'src/users/profession';
import { CoverageRefreshService } from 'src/reports/coverage-refresh.service';
import { UsersService } from 'src/users/users.service';
import { DataSource } from 'typeorm';

export const DEMO_PASSWORD = 'fpm-demo-password';

// The boroughs of the Positive Families Partnership (seeds/002), with their ONS codes.
const BOROUGHS: Array<[code: string, name: string, council: string]> = [
  ['E09000024', 'Merton', 'Merton Borough Council'],
  ['E09000029', 'Sutton', 'Sutton Borough Council'],
  ['E09000030', 'Tower Hamlets', 'Tower Hamlets Borough Council'],
  ['E09000014', 'Haringey', 'Haringey Borough Council'],
  ['E09000021', 'Kingston upon Thames', 'Kingston upon Thames Borough Council'],
  ['E09000002', 'Barking and Dagenham', 'Barking & Dagenham Borough Council'],
  ['E09000018', 'Hounslow', 'Hounslow Borough Council'],
  ['E09000004', 'Bexley', 'Bexley Borough Council'],
  ['E09000025', 'Newham', 'Newham London Borough Council'],
  ['E09000027', 'Richmond upon Thames', 'Richmond upon Thames Borough Council'],
];

const BASELINE: Array<[Profession, number]> = [
  ['health_visitor', 45],
  ['school_nurse', 18],
  ['social_worker', 160],
  ['family_support_worker', 70],
  ['early_years_practitioner', 120],
  ['mental_health_practitioner', 25],
];

interface DemoUser {
  email: string;
  name: string;
  roles: Role[];
  organisation: string;
  profession: Profession | null;
  areas?: string[];
}

const DEMO_USERS: DemoUser[] = [
  {
    email: 'admin@demo.fpm.test',
    name: 'Alex Admin',
    roles: ['admin'],
    organisation: 'Merton Borough Council',
    profession: null,
  },
  {
    email: 'lead@demo.fpm.test',
    name: 'Lena Lead',
    roles: ['training_lead'],
    organisation: 'Merton Borough Council',
    profession: 'social_worker',
  },
  {
    email: 'facilitator@demo.fpm.test',
    name: 'Femi Facilitator',
    roles: ['facilitator'],
    organisation: 'Merton Borough Council',
    profession: 'health_visitor',
  },
  {
    email: 'facilitator2@demo.fpm.test',
    name: 'Grace Facilitator',
    roles: ['facilitator', 'trainee'],
    organisation: 'South West London and St George’s Mental Health NHS Trust',
    profession: 'psychologist',
  },
  {
    email: 'trainee@demo.fpm.test',
    name: 'Tom Trainee',
    roles: ['trainee'],
    organisation: 'Merton Borough Council',
    profession: 'family_support_worker',
  },
  {
    email: 'trainee2@demo.fpm.test',
    name: 'Priya Trainee',
    roles: ['trainee'],
    organisation: 'Sutton Borough Council',
    profession: 'health_visitor',
  },
  {
    email: 'trainee3@demo.fpm.test',
    name: 'Sam Trainee',
    roles: ['trainee'],
    organisation: 'Family Action',
    profession: 'early_years_practitioner',
  },
  {
    email: 'commissioner@demo.fpm.test',
    name: 'Chris Commissioner',
    roles: ['commissioner'],
    organisation: 'Merton Borough Council',
    profession: null,
    areas: ['E09000024', 'E09000029'],
  },
];

const DAY = 24 * 60 * 60 * 1000;

/** A Tuesday-evening style start `weeks` weeks from now (negative: in the past), on the hour. */
function weeksFromNow(weeks: number, hourUtc: number): string {
  const at = new Date(Date.now() + weeks * 7 * DAY);
  at.setUTCHours(hourUtc, 0, 0, 0);
  return at.toISOString();
}

const REFLECTIONS = [
  [
    'We began with the model as a whole, and how partnership differs from the expert role.',
    'I noticed how often I slip into giving advice before I have understood.',
    'The helper qualities come before the skills: respect and genuineness make the rest possible.',
    'At my next visit I will listen for longer before I suggest anything.',
  ],
  [
    'We practised attending and active listening in threes, with an observer.',
    'Being observed made me self-conscious at first, then I forgot about it.',
    'Attending is physical as well as mental: where I sit and how I look matter.',
    'I will notice my posture and eye contact in the next home visit.',
  ],
  [
    'The session looked at empathic responding and how it differs from sympathy.',
    'I found it hard to stay with the feeling without trying to fix it.',
    'Empathy is checking my understanding with the parent, not assuming it.',
    'I will try one empathic response each visit and notice what follows.',
  ],
] as const;

/** A session reflection about one session, in one of a few voices. */
function reflectionOn(session: { id: string; startsAt: Date }, index: number): CreateEntryDto {
  const [whatHappened, reflection, learning, nextSteps] = REFLECTIONS[index % REFLECTIONS.length];
  return {
    kind: 'session_reflection',
    sessionId: session.id,
    occurredOn: session.startsAt.toISOString().slice(0, 10),
    whatHappened,
    reflection,
    learning,
    nextSteps,
  };
}

/** A piece of work with a family, written as trainees are taught to: roles, never names. */
function practiceContact(session: { startsAt: Date }, index: number): CreateEntryDto {
  const stages = [
    'relationship_building',
    'exploration',
    'understanding',
    'goal_setting',
    'strategy_planning',
    'review',
  ];
  return {
    kind: 'practice_contact',
    occurredOn: session.startsAt.toISOString().slice(0, 10),
    minutes: 45 + index * 5,
    stage: stages[index % stages.length],
    skills: ['attending_and_active_listening', index % 2 ? 'summarising' : 'empathic_responding'],
    whatHappened: 'A home visit with the mother of a toddler; the father joined for the second half.',
    reflection: 'I felt the pull to reassure rather than to explore what worried her.',
    learning: 'Summarising what I had heard let the mother correct me and say what mattered most.',
    nextSteps: 'Next visit we will agree one small goal together.',
  };
}

/** A renderer that cannot make a PDF, as when the worker's font files are missing. */
const UNAVAILABLE_RENDERER: RenderPool = {
  render: () => Promise.reject(new Error('The certificate template could not be read (demo: try again)')),
  close: () => Promise.resolve(),
};

/** Writes entries as a trainee and reviews them as a facilitator, through the services' own rules. */
class DemoLogbook {
  constructor(
    private readonly logbooks: LogbooksService,
    private readonly reviewer: AuthUser,
  ) {}

  async write(
    trainee: AuthUser,
    enrolmentId: string,
    outcome: 'draft' | 'submitted' | 'accepted' | 'returned',
    entry: CreateEntryDto,
    feedback?: string,
  ): Promise<void> {
    const { id } = await this.logbooks.create(trainee, enrolmentId, entry);
    if (outcome === 'draft') return;
    await this.logbooks.submit(trainee, id, {});
    if (outcome === 'submitted') return;
    await this.logbooks.review(this.reviewer, id, { decision: outcome, feedback: feedback ?? null });
  }
}

/** Cohorts at every stage, so each page has something to show. */
async function seedCohorts(
  app: INestApplicationContext,
  admin: AuthUser,
  merton: string,
  mertonArea: string,
): Promise<{ runningCohortId: string }> {
  const users = app.get(UsersService);
  const qualifications = app.get(QualificationsService);
  const cohorts = app.get(CohortsService);
  const enrolments = app.get(EnrolmentsService);
  const attendance = app.get(AttendanceService);
  const competencies = app.get(CompetenciesService);
  const foundationCodes = (await competencies.currentFramework('foundation')).groups.flatMap((group) =>
    group.competencies.map((competency) => competency.code),
  );
  const byEmail = async (email: string) =>
    (await users.findAuthUser((await users.findActiveByEmail(email))!.id))!;
  const lead = await byEmail('lead@demo.fpm.test');
  const [femi, grace] = [
    await byEmail('facilitator@demo.fpm.test'),
    await byEmail('facilitator2@demo.fpm.test'),
  ];
  const [tom, priya, sam] = await Promise.all(
    ['trainee', 'trainee2', 'trainee3'].map((n) => byEmail(`${n}@demo.fpm.test`)),
  );
  // Grace's accreditation ends within 90 days, so it is listed for the lead and she is e-mailed about it.
  for (const [facilitator, grantedOn] of [
    [femi, '2024-09-01'],
    [grace, DateTime.now().minus({ years: 3 }).plus({ days: 60 }).toISODate()],
  ] as const) {
    await qualifications.recordAccreditation(admin, facilitator.id, {
      courseCode: 'foundation',
      grantedOn,
      expiresOn: DateTime.fromISO(grantedOn).plus({ years: 3 }).toISODate()!,
    });
  }
  const base = { organisationId: merton, areaId: mertonArea, deliveryMode: 'in_person' as const };

  // Completed earlier this year: Sam completed Foundation here, so Supervision is open to Sam.
  const completed = await cohorts.create(lead, {
    ...base,
    courseCode: 'foundation',
    title: 'Merton Foundation, spring 2026',
    capacity: 12,
    venue: 'Merton Civic Centre, Room 2',
    schedule: { firstStartsAt: weeksFromNow(-30, 9), durationMinutes: 150, count: 10, intervalWeeks: 1 },
    facilitatorIds: [femi.id],
  });
  await cohorts.addFacilitator(lead, completed.cohort.id, { userId: grace.id, role: 'co' });
  await cohorts.update(lead, completed.cohort.id, { status: 'open' });
  // Sam and two colleagues from the same organisation (not demo sign-ins) met every requirement.
  const colleagues = [];
  for (const [email, name] of [
    ['ayse.yilmaz@demo.fpm.test', 'Ayşe Yılmaz'],
    ['lukasz.wasowski@demo.fpm.test', 'Łukasz Wąsowski'],
  ]) {
    const { user } = await users.create(
      null,
      { email, name, roles: ['trainee'], organisationId: sam.organisationId, profession: 'social_worker' },
      DEMO_PASSWORD,
    );
    colleagues.push((await users.findAuthUser(user.id))!);
  }
  const finishers = [sam, ...colleagues];
  const finished = [];
  for (const trainee of finishers)
    finished.push(await enrolments.enrol(lead, completed.cohort.id, trainee.id));
  await cohorts.update(lead, completed.cohort.id, { status: 'in_progress' });
  for (const session of completed.sessions) {
    await attendance.record(
      femi,
      session.id,
      finished.map((enrolment) => ({ enrolmentId: enrolment.id, status: 'present' as const })),
    );
  }
  // Their logbooks meet the course: a reflection on every session, and six practice contacts, all accepted.
  const logbook = new DemoLogbook(app.get(LogbooksService), femi);
  for (const [at, trainee] of finishers.entries()) {
    const enrolmentId = finished[at].id;
    for (const [index, session] of completed.sessions.entries())
      await logbook.write(trainee, enrolmentId, 'accepted', reflectionOn(session, index));
    for (let contact = 0; contact < 6; contact++)
      await logbook.write(
        trainee,
        enrolmentId,
        'accepted',
        practiceContact(completed.sessions[contact], contact),
      );
    for (const code of foundationCodes) {
      await competencies.signOff(femi, enrolmentId, code, {
        outcome: 'met',
        comment: 'Shown consistently in skills practice and in the practice contacts discussed in sessions.',
      });
    }
  }
  await cohorts.update(lead, completed.cohort.id, { status: 'completed' });
  // The lead issues the three certificates. The worker makes Sam's PDF and e-mails it once the app runs.
  const certificates = app.get(CertificatesService);
  const { queued } = await certificates.issueForCohort(lead, completed.cohort.id);
  const [ayse, lukasz] = finished
    .slice(1)
    .map((enrolment) => queued.find((issued) => issued.enrolmentId === enrolment.id)!);
  // Łukasz's is revoked; Ayşe's could not be made (as the worker leaves it after its last try), so the lead's
  // page shows a failed certificate with its retry button.
  await certificates.revoke(
    lead,
    lukasz.certificateId,
    'Issued before a logbook entry that identified a family was withdrawn; to be re-assessed',
  );
  await certificates.render(ayse.certificateId, UNAVAILABLE_RENDERER, true).catch(() => undefined);

  // In progress: five of ten weekly sessions held, registers taken.
  const running = await cohorts.create(lead, {
    ...base,
    courseCode: 'foundation',
    title: 'Merton Foundation, autumn 2026',
    capacity: 16,
    venue: 'Merton Civic Centre, Room 4',
    schedule: { firstStartsAt: weeksFromNow(-5, 17), durationMinutes: 120, count: 10, intervalWeeks: 1 },
    facilitatorIds: [femi.id, grace.id],
  });
  await cohorts.update(lead, running.cohort.id, { status: 'open' });
  const runningEnrolments = [
    await enrolments.enrol(lead, running.cohort.id, tom.id),
    await enrolments.enrol(lead, running.cohort.id, priya.id),
  ];
  await cohorts.update(lead, running.cohort.id, { status: 'in_progress' });
  const marks = ['present', 'present', 'late', 'absent', 'present'] as const;
  for (const [index, session] of running.sessions.slice(0, 5).entries()) {
    await attendance.record(femi, session.id, [
      { enrolmentId: runningEnrolments[0].id, status: marks[index] },
      { enrolmentId: runningEnrolments[1].id, status: 'present' },
    ]);
  }
  // Entries in every state: accepted, waiting for review, returned with feedback, and a draft.
  const [tomEnrolment, priyaEnrolment] = runningEnrolments.map((enrolment) => enrolment.id);
  await logbook.write(tom, tomEnrolment, 'accepted', reflectionOn(running.sessions[0], 0));
  await logbook.write(tom, tomEnrolment, 'submitted', reflectionOn(running.sessions[1], 1));
  await logbook.write(
    tom,
    tomEnrolment,
    'returned',
    reflectionOn(running.sessions[2], 2),
    'Say more about what you noticed in yourself when the parent went quiet, and what you will try next time.',
  );
  await logbook.write(tom, tomEnrolment, 'draft', {
    ...practiceContact(running.sessions[3], 3),
    learning: '',
    nextSteps: '',
  });
  await logbook.write(priya, priyaEnrolment, 'accepted', reflectionOn(running.sessions[0], 0));
  await logbook.write(priya, priyaEnrolment, 'submitted', practiceContact(running.sessions[1], 1));
  // Half way through: some competencies met, one not yet, one corrected after a second look.
  const signOffs: Array<[string, 'met' | 'not_yet', string]> = [
    ['helper-quality.respect', 'met', 'Listens to parents’ views before offering his own.'],
    ['helper-quality.empathy', 'not_yet', 'Still moves to reassurance before the parent feels understood.'],
    ['helper-skill.summarising', 'not_yet', 'Summaries tend to add his own interpretation.'],
    ['helper-skill.summarising', 'met', 'Clear, accurate summaries in the session 5 role play.'],
    ['helping-process.relationship-building', 'met', 'Builds rapport quickly and keeps it.'],
  ];
  for (const [code, outcome, comment] of signOffs)
    await competencies.signOff(grace, tomEnrolment, code, { outcome, comment });

  // Open, full, with a waiting list.
  const open = await cohorts.create(lead, {
    ...base,
    courseCode: 'foundation',
    title: 'Merton Foundation, spring 2027 (evenings)',
    capacity: 1,
    deliveryMode: 'blended',
    venue: 'Morden Library, Community Room',
    schedule: { firstStartsAt: weeksFromNow(12, 18), durationMinutes: 120, count: 10, intervalWeeks: 1 },
    facilitatorIds: [femi.id, grace.id],
  });
  await cohorts.update(lead, open.cohort.id, { status: 'open' });
  await enrolments.enrol(lead, open.cohort.id, sam.id);
  await enrolments.enrol(lead, open.cohort.id, tom.id);

  // Draft: a Supervision course being planned, which Sam may join having completed Foundation.
  await cohorts.create(lead, {
    ...base,
    courseCode: 'supervision',
    title: 'Merton Supervision, 2027',
    capacity: 10,
    deliveryMode: 'online',
    schedule: { firstStartsAt: weeksFromNow(20, 13), durationMinutes: 180, count: 4, intervalWeeks: 2 },
    facilitatorIds: [grace.id],
  });

  // Cancelled.
  const cancelled = await cohorts.create(lead, {
    ...base,
    courseCode: 'foundation',
    title: 'Merton Foundation, summer 2027 (cancelled)',
    capacity: 12,
    venue: 'Merton Civic Centre, Room 2',
    schedule: { firstStartsAt: weeksFromNow(30, 9), durationMinutes: 150, count: 10, intervalWeeks: 1 },
    facilitatorIds: [femi.id],
  });
  await cohorts.update(lead, cancelled.cohort.id, { status: 'cancelled' });
  return { runningCohortId: running.cohort.id };
}

/**
 * The licences the cohorts' events make, copies downloaded from them, and the handbook's revision that reaches
 * everyone who holds it (Tom has not downloaded it yet, so his page says a new edition is there).
 */
async function seedMaterialHoldings(
  app: INestApplicationContext,
  admin: AuthUser,
  materialIds: Map<string, string>,
  runningCohortId: string,
): Promise<void> {
  const users = app.get(UsersService);
  const byEmail = async (email: string) =>
    (await users.findAuthUser((await users.findActiveByEmail(`${email}@demo.fpm.test`))!.id))!;
  const [tom, priya, sam, femi, lead] = await Promise.all(
    ['trainee', 'trainee2', 'trainee3', 'facilitator', 'lead'].map(byEmail),
  );
  await deliverLicensingEvents(app);
  await downloadCopies(app, materialIds, [
    { holder: sam, code: 'RPH' },
    { holder: tom, code: 'RPH' },
    { holder: priya, code: 'RPH' },
    { holder: femi, code: 'FTM' },
    { holder: femi, code: 'FTM' },
  ]);
  await reviseHandbook(app, admin, materialIds);
  await deliverLicensingEvents(app);
  await downloadCopies(app, materialIds, [{ holder: priya, code: 'RPH' }]);
  // Printed handbooks for the running cohort, dispatched: Priya has confirmed hers arrived, Tom has not yet.
  const printOrders = app.get(PrintOrdersService);
  const order = await printOrders.create(lead, runningCohortId, {
    materialId: materialIds.get('RPH')!,
    copies: 16,
  });
  await printOrders.change(lead, order.id, { status: 'dispatched', trackingRef: 'RM 4821 7730 5GB' });
  await printOrders.confirmReceipt(priya, order.id);
}

/**
 * Practitioners, cohorts and certificates across the ten boroughs over the last two years, so that the coverage
 * report has shown and suppressed cells and a rising trend; then the coverage summary, as the worker keeps it.
 */
async function seedWorkforce(app: INestApplicationContext, areaIds: string[]): Promise<void> {
  const runner = app.get(DataSource).createQueryRunner();
  await runner.connect();
  try {
    await generateDemoWorkforce(
      (text, params) => runner.query(text, params),
      areaIds.map((id) => ({ id })),
    );
  } finally {
    await runner.release();
  }
  await app.get(CoverageRefreshService).refresh();
}

runWithApp(async (app) => {
  const users = app.get(UsersService);
  const organisations = app.get(OrganisationsService);
  const existing = await users.findActiveByEmail(DEMO_USERS[0].email);
  if (!existing) {
    // The first admin exists before any organisation; it joins one once they are made.
    const [adminSpec, ...others] = DEMO_USERS;
    const { user: admin } = await users.create(null, { ...adminSpec, organisationId: null }, DEMO_PASSWORD);
    const system: AuthUser = { ...admin, organisationId: null };
    const areaIds = new Map<string, string>();
    for (const [code, name, council] of BOROUGHS) {
      const area = await organisations.createArea(system, { code, name, region: 'London' });
      areaIds.set(code, area.id);
      const scale = 0.6 + (Number(code.slice(-2)) % 5) * 0.2;
      await organisations.replaceBaselines(
        system,
        area.id,
        BASELINE.map(([profession, headcount]) => ({ profession, headcount: Math.round(headcount * scale) })),
      );
      await organisations.createOrganisation(system, {
        name: council,
        kind: 'local_authority',
        areaId: area.id,
      });
    }
    const organisationIds = new Map<string, string>();
    for (const organisation of await organisations.listOrganisations())
      organisationIds.set(organisation.name, organisation.id);
    for (const [name, kind, areaCode] of [
      ['South West London and St George’s Mental Health NHS Trust', 'nhs_trust', 'E09000024'],
      ['Family Action', 'voluntary', 'E09000025'],
    ] as const) {
      const organisation = await organisations.createOrganisation(system, {
        name,
        kind,
        areaId: areaIds.get(areaCode)!,
      });
      organisationIds.set(name, organisation.id);
    }
    await users.update(system, admin.id, { organisationId: organisationIds.get(adminSpec.organisation) });
    for (const demo of others) {
      await users.create(
        null,
        {
          email: demo.email,
          name: demo.name,
          roles: demo.roles,
          organisationId: organisationIds.get(demo.organisation),
          profession: demo.profession,
          areaIds: demo.areas?.map((code) => areaIds.get(code)!),
        },
        DEMO_PASSWORD,
      );
    }
    const materialIds = await seedCatalogue(app, system);
    const { runningCohortId } = await seedCohorts(
      app,
      system,
      organisationIds.get('Merton Borough Council')!,
      areaIds.get('E09000024')!,
    );
    await seedMaterialHoldings(app, system, materialIds, runningCohortId);
    await seedWorkforce(app, [...areaIds.values()]);
    process.stdout.write(
      'Demo data created: 10 London boroughs with workforce baselines, 12 organisations, 10 users,\n' +
        '5 cohorts (draft, open with a waiting list, in progress with registers, completed, cancelled),\n' +
        'logbooks with entries in every state, competencies signed off, certificates issued, revoked and\n' +
        'failed (with a retry), a facilitator accreditation near expiry, and three licensed handbooks\n' +
        '(one in two editions) with personalised copies downloaded and printed copies dispatched, and a\n' +
        'workforce of 800 practitioners with certificates over two years for the coverage report.\n',
    );
  } else {
    process.stdout.write('Demo data is already there.\n');
  }
  process.stdout.write(`\nDemo sign-ins (password for all: ${DEMO_PASSWORD}):\n`);
  for (const demo of DEMO_USERS)
    process.stdout.write(`  ${demo.roles.join(' + ').padEnd(22)} ${demo.email}\n`);
  process.stdout.write('\n');
});
