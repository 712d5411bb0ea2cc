import 'reflect-metadata';
import { runWithApp } from 'src/cli/cli-context';
import type { AuthUser } from 'src/common/request-context';
import type { Role } from 'src/common/role';
import { OrganisationsService } from 'src/organisations/organisations.service';
import type { Profession } from 'src/users/profession';
import { UsersService } from 'src/users/users.service';

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
    process.stdout.write(
      'Demo data created: 10 London boroughs with workforce baselines, 12 organisations, 8 users.\n',
    );
  } else {
    process.stdout.write('Demo data is already there.\n');
  }
  process.stdout.write(`\nDemo sign-ins (password for all: ${DEMO_PASSWORD}):\n`);
  for (const demo of DEMO_USERS)
    process.stdout.write(`  ${demo.roles.join(' + ').padEnd(22)} ${demo.email}\n`);
  process.stdout.write('\n');
});
