import { COURSE_CODES, type CourseCode } from 'src/courses/course-code';
import { HELPER_SKILLS, HELPING_PROCESS_STAGES } from 'src/logbooks/entry-kinds';
import type { Profession } from 'src/users/profession';

/**
 * Runs one statement and gives its rows. It must keep one database session from call to call (a pg `Client`, or a
 * TypeORM `QueryRunner`; not a pooled `DataSource`): the steps pass their plan on in temporary tables.
 */
export type WorkforceSql = <Row = Record<string, unknown>>(
  text: string,
  params?: unknown[],
) => Promise<Row[]>;

export interface WorkforceScale {
  /** Existing areas to fill (by id), or how many areas to make across England's nine regions. */
  areas: number | ReadonlyArray<{ id: string }>;
  practitioners: number;
  cohorts: number;
  attendanceMarks: number;
  logbookEntries: number;
  /** Every certificate row, the superseded ones included. */
  certificates: number;
  /** The same seed gives the same rows (ids included), laid out around the time it runs. */
  seed?: number;
}

export interface WorkforceSummary {
  areas: number;
  organisations: number;
  trainingLeads: number;
  practitioners: number;
  facilitators: number;
  baselines: number;
  cohorts: number;
  sessions: number;
  enrolments: number;
  attendanceMarks: number;
  logbookEntries: number;
  certificates: number;
  /** How much cohorts' capacities were raised so the attendance marks asked for fit in their places (1: not). */
  capacityScale: number;
  steps: Array<{ step: string; ms: number }>;
}

/** The demo seed's ten boroughs, filled so the coverage report has suppressed and shown cells and a trend. */
export const DEMO_WORKFORCE = {
  practitioners: 800,
  cohorts: 60,
  attendanceMarks: 8_000,
  logbookEntries: 13_000,
  certificates: 400,
  seed: 2026,
} as const;

export function generateDemoWorkforce(
  sql: WorkforceSql,
  areas: ReadonlyArray<{ id: string }>,
): Promise<WorkforceSummary> {
  return generateWorkforce(sql, { ...DEMO_WORKFORCE, areas });
}

// Twelve professions, skewed as children's services are: many social workers and health visitors, few
// psychiatrists, so that an area's smaller professions give the counts of 1 to 4 a report must suppress.
const PROFESSION_WEIGHTS: Array<[Profession, number]> = [
  ['social_worker', 24],
  ['health_visitor', 18],
  ['family_support_worker', 13],
  ['early_years_practitioner', 12],
  ['school_nurse', 7],
  ['midwife', 6],
  ['childrens_centre_worker', 5],
  ['mental_health_practitioner', 5],
  ['mental_health_nurse', 4],
  ['clinical_psychologist', 3],
  ['educational_psychologist', 2],
  ['psychiatrist', 1],
];
const NHS_PROFESSIONS: Profession[] = [
  'health_visitor',
  'school_nurse',
  'midwife',
  'mental_health_practitioner',
  'mental_health_nurse',
  'clinical_psychologist',
  'psychiatrist',
];
const FACILITATOR_PROFESSIONS: Profession[] = [
  'health_visitor',
  'health_visitor',
  'social_worker',
  'social_worker',
  'clinical_psychologist',
  'family_support_worker',
];

// England's nine regions, weighted by their number of upper-tier local authorities (153 in all).
const REGIONS: Array<[string, number]> = [
  ['North East', 12],
  ['North West', 24],
  ['Yorkshire and The Humber', 15],
  ['East Midlands', 10],
  ['West Midlands', 14],
  ['East of England', 11],
  ['London', 33],
  ['South East', 19],
  ['South West', 15],
];
const TOWN_STARTS =
  'Ash Brad Cal Dun Elm Fen Glen Hart Kings Lang Mar Nor Oak Pen Red Stan Thorn Wal West Whit'.split(' ');
const TOWN_ENDS = ['bury', 'field', 'ford', 'ham', 'ley', 'mouth', 'ton', 'wick', 'worth'];

const FIRST_NAMES = (
  'Amelia Olivia Isla Ava Emily Sophie Grace Mia Poppy Ella Fatima Aisha Priya Zara Hannah Chloe Jessica Lucy ' +
  'Megan Sarah Laura Rachel Claire Emma Rebecca Oliver Jack Harry George Noah Mohammed Daniel James Thomas ' +
  'Samuel Joseph Adam Ryan Kwame Tomasz'
).split(' ');
const SURNAMES = (
  'Smith Jones Taylor Brown Williams Wilson Johnson Davies Patel Robinson Wright Thompson Evans Walker White ' +
  'Roberts Green Hall Wood Jackson Clarke Khan Ahmed Ali Begum Hussain Singh Kaur Okafor Mensah Nowak ' +
  'Kowalski Murphy Kelly Campbell Stewart Hughes Edwards Shah Lewis'
).split(' ');

const ENTRY_TEXTS = {
  session_reflection: [
    [
      'We practised attending and active listening in threes, with an observer.',
      'The session looked at empathic responding and how it differs from sympathy.',
      'We mapped the helping process and where our own work with families tends to stall.',
    ],
    [
      'I noticed how quickly I move to advice before I have understood.',
      'Being observed made me self-conscious at first, then I forgot about it.',
      'I found it hard to stay with a feeling without trying to fix it.',
    ],
    [
      'The helper qualities come before the skills: respect makes the rest possible.',
      'Empathy is checking my understanding with the parent, not assuming it.',
      'Exploration takes longer than I allow for, and it is where the goals come from.',
    ],
    [
      'At my next visit I will listen for longer before I suggest anything.',
      'I will try one empathic response each visit and notice what follows.',
      'I will ask the parent what they want from our time before I plan it.',
    ],
  ],
  practice_contact: [
    [
      'A home visit with the mother of a toddler; the father joined for the second half.',
      'A first contact with a parent referred after a missed health review.',
      'A review with a family who had set a goal about bedtimes at the last visit.',
    ],
    [
      'I felt the pull to reassure rather than to explore what worried her.',
      'I was aware of my own tiredness and how it made me hurry.',
      'I was pleased the parent led, and uneasy about how little I said.',
    ],
    [
      'Summarising what I had heard let the parent correct me and say what mattered most.',
      'Negotiating a small goal worked better than the plan I had in mind.',
      'Silence gave the parent room to say the harder thing.',
    ],
    [
      'Next visit we will agree one small goal together.',
      'I will check how the plan went before I suggest anything new.',
      'I will ask how the father sees it, with the mother’s agreement.',
    ],
  ],
  supervision_session: [
    [
      'A supervision session on a family where progress has stalled.',
      'Group supervision with three practitioners bringing a case each.',
      'A one-to-one session on a practitioner’s first months with the model.',
    ],
    [
      'I noticed I wanted to solve the case for the practitioner.',
      'I felt the practitioner’s frustration and had to hold it without passing it on.',
      'I was more directive than I meant to be.',
    ],
    [
      'The model applies to supervision too: explore before planning.',
      'Respect for the practitioner’s expertise changed what they brought.',
      'Summarising the practitioner’s account showed what they had not yet said.',
    ],
    [
      'I will open the next session by asking what the practitioner wants from it.',
      'I will notice when I start to give answers and ask a question instead.',
      'I will agree with the group how we give feedback to each other.',
    ],
  ],
} as const;

const REVOCATION_REASONS = [
  'Issued before a logbook entry that identified a family was withdrawn; to be re-assessed',
  'Attendance recorded in error for two sessions; the requirement was not met',
  'Issued to the wrong enrolment',
];

const SERIAL_PREFIXES: Record<CourseCode, string> = {
  foundation: 'FND',
  supervision: 'SUP',
  facilitator: 'FAC',
};

// Of the certificates asked for, this share are the superseded originals of re-issues, and this share of the
// standing ones are revoked.
const SUPERSEDED_SHARE = 0.02;
const REVOKED_SHARE = 0.03;
// Held cohorts take this share of their places at most; capacities grow when the marks asked for need more.
const FILL = 0.92;
// More (session, trainee) pairs than marks, so every mark asked for has a place: the excess is the latest registers
// of cohorts in progress, not yet taken.
const MARKS_MARGIN = 1.06;
const PAST_DAYS = 3 * 365;
const FUTURE_SHARE = 0.1;
const MAX_CAPACITY = 255;
const LONDON = `'Europe/London'`;

// Ids are derived, not random, so the same seed gives the same rows: 16 hex digits naming the generator, its seed
// and the kind of row, then the row's number.
const ID_KINDS = [
  'area',
  'organisation',
  'lead',
  'practitioner',
  'facilitator',
  'accreditation',
  'renewal',
  'cohort',
  'session',
  'enrolment',
  'entry',
  'certificate',
  'original',
  'completion',
  'baseline',
] as const;
type IdKind = (typeof ID_KINDS)[number];

/** SQL fragments drawing every "random" value from a hash of a row number and the seed. */
class Draw {
  readonly now: string;

  constructor(
    readonly seed: number,
    now: Date,
  ) {
    this.now = `'${now.toISOString()}'::timestamptz`;
  }

  /** A number in [0, 1) fixed by the key (an integer expression), the salt and the seed. */
  u(key: string, salt: number): string {
    return `((hashint8extended((${key})::int8, ${this.seed * 1000 + salt}) & 2147483647)::float8 / 2147483648)`;
  }

  /** A number in [0, 1) from a Weyl sequence: consecutive keys spread evenly, so even a few rows cover the range. */
  spread(key: string): string {
    return `mod((${key}) * 0.6180339887498949 + ${(this.seed * 0.7548776662466927) % 1}, 1)::float8`;
  }

  /** One of the values, each for its share of the keys (the shares add up to 1). */
  weighted(key: string, salt: number, shares: Array<[string, number]>): string {
    const r = this.u(key, salt);
    let below = 0;
    const cases = shares.slice(0, -1).map(([value, share]) => {
      below = Math.round((below + share) * 1e6) / 1e6;
      return `WHEN ${r} < ${below} THEN '${value}'`;
    });
    return `CASE ${cases.join(' ')} ELSE '${shares[shares.length - 1][0]}' END`;
  }

  /** One of the list's items. */
  pick(list: readonly string[], key: string, salt: number): string {
    return `(${arrayLiteral(list)})[1 + floor(${this.u(key, salt)} * ${list.length})::int]`;
  }

  id(kind: IdKind, key: string): string {
    const prefix =
      'f7' +
      this.seed.toString(16).padStart(8, '0') +
      (ID_KINDS.indexOf(kind) + 1).toString(16).padStart(6, '0');
    return `('${prefix}' || lpad(to_hex((${key})::int8), 16, '0'))::uuid`;
  }

  /** A person's name from its number. */
  name(key: string): string {
    return `${this.pick(FIRST_NAMES, key, 1)} || ' ' || ${this.pick(SURNAMES, key, 2)}`;
  }

  /** When session `k` (from 0) of cohort `c` starts: the same London wall-clock time each time. */
  sessionStart(c: string, k: string): string {
    return `((${c}.first_local + ${k} * ${c}.step) AT TIME ZONE ${LONDON})`;
  }
}

/** One statement per call: a runner may send each as a prepared statement, which takes only one. */
async function each(sql: WorkforceSql, ...statements: string[]): Promise<void> {
  for (const statement of statements) await sql(statement);
}

const arrayLiteral = (list: readonly string[]) =>
  `ARRAY[${list.map((item) => `'${item.replace(/'/g, "''")}'`).join(', ')}]`;

/** A seeded generator (mulberry32) for the plan made in JavaScript: which area gets how many of what. */
function randomFrom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `total` split in proportion to `weights` in whole numbers that add up to it (largest remainders). */
function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((weight) => (sum > 0 ? (total * weight) / sum : 0));
  const shares = exact.map(Math.floor);
  const order = exact
    .map((value, index) => ({ index, rest: value - shares[index] }))
    .sort((a, b) => b.rest - a.rest);
  for (let given = shares.reduce((a, b) => a + b, 0), i = 0; given < total; given++, i++)
    shares[order[i % order.length].index]++;
  return shares;
}

const cumulative = (counts: readonly number[]) =>
  counts.map((_, i) => counts.slice(0, i).reduce((a, b) => a + b, 0));

interface AreaRow {
  ord: number;
  code: string;
  name: string;
}

interface CourseRow {
  id: string;
  course_code: CourseCode;
  sessions: number;
  accreditation_years: number | null;
}

/** How many of everything each area gets, and each area's workforce by profession. */
function planAreas(scale: WorkforceScale, areas: AreaRow[], random: () => number) {
  const sizes = areas.map(() => 0.35 + 1.65 * random() ** 2);
  const practitioners = apportion(scale.practitioners, sizes);
  const cohorts = apportion(scale.cohorts, practitioners);
  const facilitators = cohorts.map((count) => Math.max(2, Math.ceil(count / 9)));
  const cells = {
    area: [] as number[],
    profession: [] as string[],
    count: [] as number[],
    headcount: [] as number[],
  };
  areas.forEach((area, index) => {
    const weights = PROFESSION_WEIGHTS.map(([, weight]) => weight * (0.5 + random()));
    const total = weights.reduce((a, b) => a + b, 0);
    const counts = apportion(practitioners[index], weights);
    PROFESSION_WEIGHTS.forEach(([profession], p) => {
      const expected = (practitioners[index] * weights[p]) / total;
      // Between 10% and 80% of the workforce are on the platform, so coverage ranges widely between areas.
      const share = 0.1 + 0.7 * random();
      cells.area.push(area.ord);
      cells.profession.push(profession);
      cells.count.push(counts[p]);
      cells.headcount.push(Math.max(counts[p] + 1, Math.ceil(expected / share)));
    });
  });
  return { practitioners, cohorts, facilitators, cells };
}

/** Names, regions and codes for `count` made-up local authorities. */
function newAreas(count: number, random: () => number) {
  const regions = apportion(
    count,
    REGIONS.map(([, weight]) => weight),
  ).flatMap((n, r) => Array<string>(n).fill(REGIONS[r][0]));
  const towns = TOWN_STARTS.flatMap((start) => TOWN_ENDS.map((end) => start + end))
    .map((town) => ({ town, order: random() }))
    .sort((a, b) => a.order - b.order)
    .map(({ town }) => town);
  return regions.map((region, i) => ({
    region,
    // E069xxxxx: shaped like an ONS code for a unitary authority, in a range no real one uses.
    code: `E06${String(900001 + i)}`,
    name: i < towns.length ? towns[i] : `${towns[i % towns.length]} ${Math.floor(i / towns.length) + 1}`,
  }));
}

function validate(scale: WorkforceScale, seed: number): void {
  for (const key of [
    'practitioners',
    'cohorts',
    'attendanceMarks',
    'logbookEntries',
    'certificates',
  ] as const) {
    if (!Number.isSafeInteger(scale[key]) || scale[key] < 0)
      throw new Error(`${key} must be a whole number ≥ 0`);
  }
  if (!Number.isSafeInteger(seed) || seed < 0 || seed >= 2 ** 31)
    throw new Error('seed must be in 0..2^31-1');
  const areas = typeof scale.areas === 'number' ? scale.areas : scale.areas.length;
  if (!Number.isSafeInteger(areas) || areas < 1) throw new Error('At least one area is needed');
  if (scale.practitioners < areas) throw new Error('Every area needs at least one practitioner');
}

/**
 * Writes a workforce into the existing tables with set-based SQL: areas (or the ones given), their organisations,
 * training leads, practitioners in twelve professions, facilitators with their accreditations, workforce
 * baselines (headcount above the practitioners generated), cohorts of the three courses over the last three years
 * and the next six months with sessions and facilitators, enrolments, attendance marks, logbook entries, and
 * certificates with their completions (a few revoked, a few re-issued), at the counts asked for.
 */
export async function generateWorkforce(sql: WorkforceSql, scale: WorkforceScale): Promise<WorkforceSummary> {
  const seed = scale.seed ?? 1;
  validate(scale, seed);
  const d = new Draw(seed, new Date(Math.floor(Date.now() / 60_000) * 60_000));
  const random = randomFrom(seed);
  const steps: WorkforceSummary['steps'] = [];
  const step = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const result = await work();
    steps.push({ step: name, ms: Math.round(performance.now() - started) });
    return result;
  };
  const tables = ['area', 'org', 'person', 'facilitator', 'cohort', 'enrolment', 'holder', 'mark', 'cert'];
  const dropTables = () => sql(`DROP TABLE IF EXISTS ${tables.map((t) => `pg_temp.wf_${t}`).join(', ')}`);
  await dropTables();
  await sql(`SET work_mem = '256MB'`);
  // Compiling these one-off statements takes longer than it saves (2 s of a demo's 3).
  await sql(`SET jit = off`);
  try {
    const courses = await currentCourses(sql);
    const areas = await step('areas', () => prepareAreas(sql, d, scale, random));
    const plan = planAreas(scale, areas, random);
    await step('organisations and leads', () => organisations(sql, d, plan));
    await step('practitioners', () => practitioners(sql, d, plan));
    await step('facilitators', () => facilitators(sql, d));
    await step('baselines', () => baselines(sql, d, plan.cells));
    await step('cohorts planned', () => planCohorts(sql, d, plan, courses));
    const capacityScale = await step('trainees placed', () => placeTrainees(sql, d, scale));
    await step('cohorts', () => writeCohorts(sql, d));
    await step('enrolments', () => writeEnrolments(sql, d));
    await step('attendance', () => attendance(sql, d, scale.attendanceMarks));
    const entries = await step('logbook entries', () => logbookEntries(sql, d, scale.logbookEntries));
    await step('certificates', () => certificates(sql, d, scale.certificates, courses));
    const [counts] = await sql<Record<string, string>>(`
      SELECT (SELECT count(*) FROM wf_area) AS areas, (SELECT count(*) FROM wf_org) AS organisations,
             (SELECT count(*) FROM wf_person) AS practitioners, (SELECT count(*) FROM wf_facilitator) AS facilitators,
             (SELECT count(*) FROM wf_cohort) AS cohorts, (SELECT coalesce(sum(sessions), 0) FROM wf_cohort) AS sessions,
             (SELECT count(*) FROM wf_enrolment) AS enrolments, (SELECT count(*) FROM wf_mark) AS marks,
             (SELECT count(*) + count(*) FILTER (WHERE reissued) FROM wf_cert) AS certificates`);
    return {
      areas: Number(counts.areas),
      organisations: Number(counts.organisations),
      trainingLeads: Number(counts.organisations),
      practitioners: Number(counts.practitioners),
      facilitators: Number(counts.facilitators),
      baselines: plan.cells.area.length,
      cohorts: Number(counts.cohorts),
      sessions: Number(counts.sessions),
      enrolments: Number(counts.enrolments),
      attendanceMarks: Number(counts.marks),
      logbookEntries: entries,
      certificates: Number(counts.certificates),
      capacityScale,
      steps,
    };
  } finally {
    await dropTables();
    await sql(`RESET work_mem`);
    await sql(`RESET jit`);
  }
}

async function currentCourses(sql: WorkforceSql): Promise<Map<CourseCode, CourseRow>> {
  const rows = await sql<CourseRow>(
    `SELECT id, course_code, (rules->>'sessions')::int AS sessions,
            (rules->>'accreditationYears')::int AS accreditation_years
       FROM course_versions WHERE is_current`,
  );
  const courses = new Map(rows.map((row) => [row.course_code, row]));
  for (const code of COURSE_CODES) {
    const course = courses.get(code);
    if (!course) throw new Error(`There is no current version of the ${code} course`);
    if (!(course.sessions > 0 && course.sessions < 64))
      throw new Error(`The ${code} course has ${course.sessions} sessions`);
  }
  return courses;
}

async function prepareAreas(sql: WorkforceSql, d: Draw, scale: WorkforceScale, random: () => number) {
  let ids: string[];
  if (typeof scale.areas === 'number') {
    const made = newAreas(scale.areas, random);
    await sql(
      `INSERT INTO areas (id, code, name, region)
       SELECT ${d.id('area', 't.n')}, t.code, t.name, t.region
         FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS t(code, name, region, n)`,
      [made.map((a) => a.code), made.map((a) => a.name), made.map((a) => a.region)],
    );
    ids = (
      await sql<{ id: string }>(`SELECT id FROM areas WHERE code = ANY($1)`, [made.map((a) => a.code)])
    ).map((row) => row.id);
  } else {
    ids = scale.areas.map((area) => area.id);
  }
  await sql(
    `CREATE TEMP TABLE wf_area AS
     SELECT row_number() OVER (ORDER BY code)::int AS ord, id, code, name, region FROM areas WHERE id = ANY($1::uuid[])`,
    [ids],
  );
  const areas = await sql<AreaRow>(`SELECT ord, code, name FROM wf_area ORDER BY ord`);
  if (areas.length !== new Set(ids).size) throw new Error('Some of the areas given do not exist');
  return areas;
}

type Plan = ReturnType<typeof planAreas>;

/**
 * Each area has its local authority (the one there already, or a new one), an NHS trust and, in most, a voluntary
 * organisation. Cohorts are run only by organisations made here, each with its own training lead, so an existing
 * organisation's lead (the demo's) finds no strangers' cohorts among theirs.
 */
async function organisations(sql: WorkforceSql, d: Draw, plan: Plan): Promise<void> {
  await sql(
    `ALTER TABLE wf_area ADD COLUMN people int, ADD COLUMN cohorts int, ADD COLUMN facilitators int,
       ADD COLUMN la_id uuid, ADD COLUMN la_made boolean, ADD COLUMN nhs_id uuid, ADD COLUMN vol_id uuid`,
  );
  await sql(
    `UPDATE wf_area a SET people = t.people, cohorts = t.cohorts, facilitators = t.facilitators
       FROM unnest($1::int[], $2::int[], $3::int[]) WITH ORDINALITY AS t(people, cohorts, facilitators, ord)
      WHERE a.ord = t.ord`,
    [plan.practitioners, plan.cohorts, plan.facilitators],
  );
  await sql(`
    CREATE TEMP TABLE wf_org AS
    SELECT a.ord AS area_ord, k.slot, k.kind, ${d.id('organisation', 'a.ord * 4 + k.slot')} AS id,
           a.name || k.suffix AS name, ${d.id('lead', 'a.ord * 4 + k.slot')} AS lead_id
      FROM wf_area a
     CROSS JOIN (VALUES (1, 'local_authority', ' Council'), (2, 'nhs_trust', ' Community Health NHS Trust'),
                        (3, 'voluntary', ' Family Support Network')) AS k(slot, kind, suffix)
     WHERE CASE k.slot
             WHEN 1 THEN NOT EXISTS (SELECT 1 FROM organisations o WHERE o.area_id = a.id AND o.kind = 'local_authority')
             WHEN 2 THEN true
             ELSE ${d.u('a.ord', 3)} < 0.7
           END`);
  await sql(`
    INSERT INTO organisations (id, name, kind, area_id, created_at, updated_at)
    SELECT o.id, o.name, o.kind, a.id, ${d.now} - interval '${PAST_DAYS + 400} days', ${d.now} - interval '${PAST_DAYS + 400} days'
      FROM wf_org o JOIN wf_area a ON a.ord = o.area_ord`);
  await sql(`
    UPDATE wf_area a SET
      la_made = EXISTS (SELECT 1 FROM wf_org o WHERE o.area_ord = a.ord AND o.slot = 1),
      la_id = coalesce((SELECT o.id FROM wf_org o WHERE o.area_ord = a.ord AND o.slot = 1),
                       (SELECT o.id FROM organisations o WHERE o.area_id = a.id AND o.kind = 'local_authority'
                         ORDER BY o.created_at, o.name LIMIT 1)),
      nhs_id = (SELECT o.id FROM wf_org o WHERE o.area_ord = a.ord AND o.slot = 2),
      vol_id = (SELECT o.id FROM wf_org o WHERE o.area_ord = a.ord AND o.slot = 3)`);
  await sql(`
    INSERT INTO users (id, email, name, roles, organisation_id, status, created_at, updated_at)
    SELECT o.lead_id, 'lead.' || replace(o.kind, '_', '-') || '.' || lower(a.code) || '@workforce${d.seed}.test',
           ${d.name('o.area_ord * 4 + o.slot + 900000000')}, '{training_lead}', o.id, 'active',
           ${d.now} - interval '${PAST_DAYS + 400} days', ${d.now} - interval '${PAST_DAYS + 400} days'
      FROM wf_org o JOIN wf_area a ON a.ord = o.area_ord`);
  await each(sql, 'ANALYZE wf_area', 'ANALYZE wf_org');
}

/** Trainees with a profession, at the area's NHS trust (for health professions), voluntary organisation or council. */
async function practitioners(sql: WorkforceSql, d: Draw, plan: Plan): Promise<void> {
  const offsets = cumulative(plan.cells.count);
  await sql(
    `CREATE TEMP TABLE wf_person AS
     SELECT p.*, ${d.name('p.ord')} AS name,
            row_number() OVER (PARTITION BY p.area_ord ORDER BY ${d.u('p.ord', 10)}, p.ord)::int AS rank,
            row_number() OVER (PARTITION BY p.area_ord ORDER BY ${d.u('p.ord', 13)}, p.ord)::int AS rerank,
            CASE WHEN p.profession = ANY(${arrayLiteral(NHS_PROFESSIONS)})
                 THEN CASE WHEN ${d.u('p.ord', 11)} < 0.85 THEN a.nhs_id ELSE a.la_id END
                 WHEN a.vol_id IS NOT NULL AND ${d.u('p.ord', 11)} < 0.25 THEN a.vol_id
                 ELSE a.la_id END AS organisation_id
       FROM (SELECT t.off + k AS ord, t.area_ord, t.profession, ${d.id('practitioner', 't.off + k')} AS id
               FROM unnest($1::int[], $2::text[], $3::int[], $4::int[]) AS t(area_ord, profession, n, off)
              CROSS JOIN LATERAL generate_series(1, t.n) AS k) p
       JOIN wf_area a ON a.ord = p.area_ord`,
    [plan.cells.area, plan.cells.profession, plan.cells.count, offsets],
  );
  await each(
    sql,
    'CREATE UNIQUE INDEX ON wf_person (area_ord, rank)',
    'CREATE UNIQUE INDEX ON wf_person (area_ord, rerank)',
    'CREATE UNIQUE INDEX ON wf_person (ord)',
    'ANALYZE wf_person',
  );
  await sql(`
    INSERT INTO users (id, email, name, roles, organisation_id, profession, status, created_at, updated_at)
    SELECT p.id, lower(replace(p.name, ' ', '.')) || '.' || p.ord || '@workforce${d.seed}.test', p.name, '{trainee}',
           p.organisation_id, p.profession, 'active', c.at, c.at
      FROM wf_person p
     CROSS JOIN LATERAL (SELECT ${d.now} - (${PAST_DAYS} + 400 * ${d.u('p.ord', 12)}) * interval '1 day' AS at) c`);
}

/**
 * Each area's facilitators, with a Foundation accreditation recorded by hand before the first cohorts, renewed
 * before it ran out, so each cohort's facilitators held a current one when it ran.
 */
async function facilitators(sql: WorkforceSql, d: Draw): Promise<void> {
  await sql(`
    CREATE TEMP TABLE wf_facilitator AS
    SELECT f.*, CASE WHEN f.profession IN ('health_visitor', 'clinical_psychologist') THEN a.nhs_id ELSE a.la_id END
             AS organisation_id,
           (SELECT o.lead_id FROM wf_org o WHERE o.area_ord = a.ord AND o.slot = 2) AS recorded_by,
           (${d.now} - interval '${PAST_DAYS} days')::date - (30 + floor(900 * ${d.u('f.ord', 20)}))::int AS granted_on
      FROM (SELECT a.ord * 100000 + k AS ord, a.ord AS area_ord, k AS rank, ${d.id('facilitator', 'a.ord * 100000 + k')} AS id,
                   ${d.name('a.ord * 100000 + k + 500000000')} AS name,
                   ${d.pick(FACILITATOR_PROFESSIONS, 'a.ord * 100000 + k', 21)} AS profession
              FROM wf_area a CROSS JOIN LATERAL generate_series(1, a.facilitators) AS k) f
      JOIN wf_area a ON a.ord = f.area_ord`);
  await each(sql, 'ALTER TABLE wf_facilitator ADD PRIMARY KEY (area_ord, rank)', 'ANALYZE wf_facilitator');
  await sql(`
    INSERT INTO users (id, email, name, roles, organisation_id, profession, status, created_at, updated_at)
    SELECT f.id, lower(replace(f.name, ' ', '.')) || '.f' || f.ord || '@workforce${d.seed}.test', f.name,
           '{facilitator}', f.organisation_id, f.profession, 'active', f.granted_on, f.granted_on
      FROM wf_facilitator f`);
  const renewal = `(f.granted_on + interval '3 years')::date - (10 + floor(70 * ${d.u('f.ord', 22)}))::int`;
  await sql(`
    INSERT INTO facilitator_accreditations (id, user_id, course_code, granted_on, expires_on, valid_years, recorded_by, created_at)
    SELECT ${d.id('accreditation', 'f.ord')}, f.id, 'foundation', f.granted_on,
           CASE WHEN (f.granted_on + interval '3 years') < ${d.now} + interval '60 days'
                THEN (${renewal} + interval '3 years')::date ELSE (f.granted_on + interval '3 years')::date END,
           3, f.recorded_by, f.granted_on
      FROM wf_facilitator f`);
  await sql(`
    INSERT INTO accreditation_renewals (id, accreditation_id, renewed_on, previous_expires_on, expires_on, note, recorded_by, created_at)
    SELECT ${d.id('renewal', 'f.ord')}, ${d.id('accreditation', 'f.ord')}, ${renewal},
           (f.granted_on + interval '3 years')::date, (${renewal} + interval '3 years')::date,
           'Renewed after an observed Foundation session', f.recorded_by, ${renewal}
      FROM wf_facilitator f
     WHERE (f.granted_on + interval '3 years') < ${d.now} + interval '60 days'`);
}

/** Headcount per area and profession; a baseline already there is kept where it is larger. */
async function baselines(sql: WorkforceSql, d: Draw, cells: Plan['cells']): Promise<void> {
  await sql(
    `INSERT INTO workforce_baselines (id, area_id, profession, headcount)
     SELECT ${d.id('baseline', 't.n')}, a.id, t.profession, t.headcount
       FROM unnest($1::int[], $2::text[], $3::int[]) WITH ORDINALITY AS t(area_ord, profession, headcount, n)
       JOIN wf_area a ON a.ord = t.area_ord
     ON CONFLICT (area_id, profession) DO UPDATE
        SET headcount = GREATEST(workforce_baselines.headcount, EXCLUDED.headcount), updated_at = now()`,
    [cells.area, cells.profession, cells.headcount],
  );
}

/**
 * Cohorts over the last three years (more of them lately, so the trend rises) and the next six months: completed,
 * in progress, open or draft by their dates, a few cancelled. Capacities and places are set later.
 */
async function planCohorts(
  sql: WorkforceSql,
  d: Draw,
  plan: Plan,
  courses: Map<CourseCode, CourseRow>,
): Promise<void> {
  const course = `CASE WHEN ${d.u('b.ord', 30)} < 0.8 THEN 'foundation' WHEN ${d.u('b.ord', 30)} < 0.92 THEN 'supervision'
                       ELSE 'facilitator' END`;
  // Start dates follow a Weyl sequence rather than a hash, so even a few cohorts spread evenly over the years; past
  // cohorts' density rises threefold over the three years (the inverse of its distribution function).
  const spread = d.spread('b.ord');
  const around = `CASE WHEN ${spread} >= ${FUTURE_SHARE}
                       THEN ${d.now} - (1 - (sqrt(1 + 8 * (${spread} - ${FUTURE_SHARE}) / ${1 - FUTURE_SHARE}) - 1) / 2)
                                       * interval '${PAST_DAYS} days'
                       ELSE ${d.now} + (7 + 175 * ${spread} / ${FUTURE_SHARE}) * interval '1 day' END`;
  const known = [...courses.values()];
  await sql(
    `CREATE TEMP TABLE wf_cohort AS
     WITH base AS (
       SELECT t.off + k AS ord, t.area_ord, k AS area_idx
         FROM unnest($1::int[], $2::int[], $3::int[]) AS t(area_ord, n, off) CROSS JOIN LATERAL generate_series(1, t.n) AS k
     ), planned AS (
       SELECT b.*, v.course, v.version_id, v.sessions,
              CASE v.course WHEN 'supervision' THEN interval '14 days' ELSE interval '7 days' END AS step,
              CASE v.course WHEN 'foundation' THEN 150 WHEN 'supervision' THEN 180 ELSE 210 END AS minutes,
              date_trunc('week', (${around}) AT TIME ZONE ${LONDON}) + floor(5 * ${d.u('b.ord', 33)}) * interval '1 day'
                + (ARRAY[interval '9 hours 30 minutes', interval '13 hours', interval '18 hours'])[1 + floor(3 * ${d.u('b.ord', 34)})::int]
                AS first_local
         FROM base b JOIN unnest($4::text[], $5::uuid[], $6::int[]) AS v(course, version_id, sessions) ON v.course = ${course}
     ), timed AS (
       SELECT p.*, p.first_local AT TIME ZONE ${LONDON} AS starts_at,
              ((p.first_local + (p.sessions - 1) * p.step) AT TIME ZONE ${LONDON}) + p.minutes * interval '1 minute' AS ends_at,
              (SELECT count(*) FROM generate_series(0, p.sessions - 1) AS s
                WHERE ${d.sessionStart('p', 's')} + p.minutes * interval '1 minute' < ${d.now})::int AS held
         FROM planned p
     ), placed AS (
       SELECT t.*, ${d.id('cohort', 't.ord')} AS id,
              CASE WHEN ${d.u('t.ord', 35)} < 0.03 THEN 'cancelled' WHEN t.ends_at < ${d.now} THEN 'completed'
                   WHEN t.starts_at <= ${d.now} THEN 'in_progress' WHEN ${d.u('t.ord', 36)} < 0.75 THEN 'open'
                   ELSE 'draft' END AS status,
              CASE t.course WHEN 'foundation' THEN 12 + floor(9 * ${d.u('t.ord', 37)})
                            WHEN 'supervision' THEN 8 + floor(5 * ${d.u('t.ord', 37)})
                            ELSE 6 + floor(5 * ${d.u('t.ord', 37)}) END::int AS base_capacity,
              CASE WHEN a.la_made AND ${d.u('t.ord', 38)} < 0.6 THEN a.la_id
                   WHEN a.vol_id IS NOT NULL AND ${d.u('t.ord', 38)} >= 0.85 THEN a.vol_id
                   ELSE a.nhs_id END AS organisation_id,
              CASE WHEN ${d.u('t.ord', 39)} < 0.55 THEN 'in_person' WHEN ${d.u('t.ord', 39)} < 0.8 THEN 'online'
                   ELSE 'blended' END AS delivery_mode,
              a.name || ' ' || initcap(t.course) || ', ' || to_char(t.first_local, 'FMMonth YYYY') AS title,
              fl.id AS lead_facilitator, fc.id AS co_facilitator
         FROM timed t JOIN wf_area a ON a.ord = t.area_ord
         JOIN wf_facilitator fl ON fl.area_ord = t.area_ord AND fl.rank = (t.area_idx - 1) % a.facilitators + 1
         JOIN wf_facilitator fc ON fc.area_ord = t.area_ord AND fc.rank = t.area_idx % a.facilitators + 1
     )
     SELECT p.*, o.lead_id AS lead_user,
            CASE WHEN p.delivery_mode <> 'online' THEN o.name || ', training room ' || (1 + floor(4 * ${d.u('p.ord', 40)})) END AS venue,
            LEAST(p.starts_at - (42 + 60 * ${d.u('p.ord', 41)}) * interval '1 day', ${d.now} - interval '1 day') AS created_at,
            p.base_capacity AS capacity, 0 AS places
       FROM placed p JOIN wf_org o ON o.id = p.organisation_id`,
    [
      plan.cohorts.map((_, i) => i + 1),
      plan.cohorts,
      cumulative(plan.cohorts),
      known.map((c) => c.course_code),
      known.map((c) => c.id),
      known.map((c) => c.sessions),
    ],
  );
  await each(sql, 'ALTER TABLE wf_cohort ADD PRIMARY KEY (ord)', 'ANALYZE wf_cohort');
}

/**
 * Fills the cohorts so that their held sessions give at least the attendance marks asked for: `demand` places per
 * place of the first capacities. Held cohorts take up to 92% of their places, so a larger demand raises the
 * capacities; open cohorts are filled in part, drafts not at all. Returns the factor capacities were raised by.
 */
async function sizeCohorts(sql: WorkforceSql, d: Draw, demand: number): Promise<number> {
  const scaleUp = Math.max(1, demand / FILL);
  const fill = Math.max(0.3, Math.min(FILL, demand / scaleUp));
  await sql(`UPDATE wf_cohort SET capacity = LEAST(${MAX_CAPACITY}, ceil(base_capacity * ${scaleUp}))`);
  // Nobody is on a Foundation cohort twice: no more places than the area has practitioners.
  await sql(`
    UPDATE wf_cohort c SET
      places = LEAST(CASE WHEN c.course = 'foundation' THEN a.people ELSE ${MAX_CAPACITY} END,
        CASE WHEN c.status IN ('completed', 'in_progress')
             THEN GREATEST(1, LEAST(c.capacity, round(c.capacity * ${fill} * (0.85 + 0.3 * ${d.u('c.ord', 42)}))))
             WHEN c.status = 'open' THEN round(c.capacity * (0.15 + 0.75 * ${d.u('c.ord', 42)}))
             ELSE 0 END)
      FROM wf_area a WHERE a.ord = c.area_ord`);
  return scaleUp;
}

/**
 * Sizes the cohorts and places trainees, again with more places while the (session, trainee) pairs held fall short
 * of the marks asked for (withdrawals and the prerequisite leave places empty that a first estimate counts).
 */
async function placeTrainees(sql: WorkforceSql, d: Draw, scale: WorkforceScale): Promise<number> {
  const [{ pool }] = await sql<{ pool: string | null }>(
    `SELECT sum(base_capacity * held) AS pool FROM wf_cohort WHERE status IN ('completed', 'in_progress')`,
  );
  const target = scale.attendanceMarks * MARKS_MARGIN;
  let demand = target / Math.max(1, Number(pool ?? 0));
  for (let attempt = 1; ; attempt++) {
    const scaleUp = await sizeCohorts(sql, d, demand);
    await planEnrolments(sql, d, scale.certificates);
    const [{ pairs }] = await sql<{ pairs: string }>(`
      SELECT count(*) AS pairs FROM wf_enrolment e JOIN wf_cohort c ON c.ord = e.cohort_ord
       CROSS JOIN LATERAL generate_series(0, c.held - 1) AS k
       WHERE ${d.sessionStart('c', 'k')} < coalesce(e.withdrawn_at, 'infinity')`);
    if (Number(pairs) >= scale.attendanceMarks || attempt === 3) return Math.round(scaleUp * 100) / 100;
    demand *= target / Math.max(1, Number(pairs));
  }
}

async function writeCohorts(sql: WorkforceSql, d: Draw): Promise<void> {
  await sql(`
    INSERT INTO cohorts (id, course_version_id, title, organisation_id, area_id, capacity, delivery_mode, venue, status,
                         created_by, created_at, updated_at)
    SELECT c.id, c.version_id, c.title, c.organisation_id, a.id, c.capacity, c.delivery_mode, c.venue, c.status,
           c.lead_user, c.created_at, GREATEST(c.created_at, LEAST(c.ends_at, ${d.now}))
      FROM wf_cohort c JOIN wf_area a ON a.ord = c.area_ord`);
  await sql(`
    INSERT INTO cohort_sessions (id, cohort_id, title, starts_at, ends_at, status, sequence, updated_at)
    SELECT ${d.id('session', 'c.ord * 64 + k')}, c.id, 'Session ' || (k + 1), ${d.sessionStart('c', 'k')},
           ${d.sessionStart('c', 'k')} + c.minutes * interval '1 minute',
           CASE WHEN c.status = 'cancelled' THEN 'cancelled' ELSE 'scheduled' END,
           CASE WHEN c.status = 'cancelled' THEN 1 ELSE 0 END, c.created_at
      FROM wf_cohort c CROSS JOIN LATERAL generate_series(0, c.sessions - 1) AS k`);
  // Supervision is led by one supervisor; Foundation and Facilitator cohorts by two accredited facilitators.
  await sql(`
    INSERT INTO cohort_facilitators (cohort_id, user_id, role, created_at)
    SELECT c.id, c.lead_facilitator, 'lead', c.created_at FROM wf_cohort c
    UNION ALL
    SELECT c.id, c.co_facilitator, 'co', c.created_at FROM wf_cohort c WHERE c.course <> 'supervision'`);
}

/**
 * Enrolments' statuses: in a completed cohort most completed (met every requirement), some did not (still
 * `enrolled`) and some withdrew; in cohorts in progress and open, trainees are enrolled ("in training"). Only a
 * trainee's last enrolment on a course can be completed: one who came back did not complete the earlier one.
 */
async function settleEnrolments(sql: WorkforceSql, d: Draw): Promise<void> {
  await sql(`
    UPDATE wf_enrolment e SET last_attempt = x.n = 1
      FROM (SELECT e.ord, row_number() OVER (PARTITION BY e.person_ord, e.course ORDER BY c.starts_at DESC, c.ord DESC) AS n
              FROM wf_enrolment e JOIN wf_cohort c ON c.ord = e.cohort_ord WHERE e.status IS NULL) x
     WHERE x.ord = e.ord`);
  const status = (shares: Array<[string, number]>) => d.weighted('e.ord', 50, shares);
  await sql(`
    UPDATE wf_enrolment e SET
      status = CASE
        WHEN c.status = 'completed' AND e.last_attempt
          THEN ${status([
            ['completed', 0.82],
            ['enrolled', 0.1],
            ['withdrawn', 0.08],
          ])}
        WHEN c.status = 'completed' THEN ${status([
          ['enrolled', 0.8],
          ['withdrawn', 0.2],
        ])}
        WHEN e.last_attempt THEN ${status([
          ['enrolled', 0.94],
          ['withdrawn', 0.06],
        ])}
        ELSE 'withdrawn' END,
      enrolled_at = LEAST(c.starts_at - (7 + 50 * ${d.u('e.ord', 51)}) * interval '1 day',
                          ${d.now} - (1 + 200 * ${d.u('e.ord', 51)}) * interval '1 hour')
      FROM wf_cohort c WHERE c.ord = e.cohort_ord AND e.status IS NULL`);
  await sql(`
    UPDATE wf_enrolment e SET
      withdrawn_at = CASE WHEN e.status = 'withdrawn'
        THEN e.enrolled_at + (LEAST(c.ends_at, ${d.now}) - e.enrolled_at) * (0.1 + 0.8 * ${d.u('e.ord', 52)}) END,
      awarded_at = CASE WHEN e.status = 'completed'
        THEN c.ends_at + LEAST((3 + 40 * ${d.u('e.ord', 53)}) * interval '1 day',
                               (${d.now} - c.ends_at) * (0.2 + 0.7 * ${d.u('e.ord', 54)})) END
      FROM wf_cohort c
     WHERE c.ord = e.cohort_ord AND e.status IN ('withdrawn', 'completed') AND e.withdrawn_at IS NULL AND e.awarded_at IS NULL`);
}

/**
 * Foundation places go round each area's practitioners in a shuffled order, so nobody is enrolled twice until
 * everyone has been once; those who come round again are drawn in another order, so the attempts they did not
 * complete are spread over the years. Supervision and Facilitator places go round the area's Foundation
 * certificate holders certified before the cohort starts (the prerequisite). `certified` marks the enrolments that
 * get certificates.
 */
async function planEnrolments(sql: WorkforceSql, d: Draw, certificates: number): Promise<void> {
  const standing = certificates - Math.round(certificates * SUPERSEDED_SHARE);
  await sql(`DROP TABLE IF EXISTS pg_temp.wf_enrolment, pg_temp.wf_holder`);
  await sql(`
    CREATE TEMP TABLE wf_enrolment AS
    WITH slots AS (
      SELECT c.ord AS cohort_ord, c.area_ord, k,
             row_number() OVER (PARTITION BY c.area_ord ORDER BY c.starts_at, c.ord, k) AS s
        FROM wf_cohort c CROSS JOIN LATERAL generate_series(1, c.places) AS k WHERE c.course = 'foundation'
    )
    SELECT (s.cohort_ord * 256 + s.k)::int8 AS ord, s.cohort_ord, s.area_ord, 'foundation'::text AS course,
           coalesce(first.ord, again.ord) AS person_ord, NULL::boolean AS last_attempt, NULL::text AS status,
           NULL::timestamptz AS enrolled_at, NULL::timestamptz AS withdrawn_at, NULL::timestamptz AS awarded_at,
           false AS certified
      FROM slots s JOIN wf_area a ON a.ord = s.area_ord
      LEFT JOIN wf_person first ON s.s <= a.people AND first.area_ord = s.area_ord AND first.rank = s.s
      LEFT JOIN wf_person again ON s.s > a.people AND again.area_ord = s.area_ord
                               AND again.rerank = (s.s - 1) % a.people + 1`);
  // A cohort that straddles two rounds can draw someone twice.
  await sql(`
    DELETE FROM wf_enrolment e USING wf_enrolment f
     WHERE f.cohort_ord = e.cohort_ord AND f.person_ord = e.person_ord AND f.ord < e.ord`);
  await each(sql, 'ALTER TABLE wf_enrolment ADD PRIMARY KEY (ord)', 'ANALYZE wf_enrolment');
  await settleEnrolments(sql, d);
  await sql(
    `UPDATE wf_enrolment SET certified = true WHERE ord IN (
       SELECT ord FROM wf_enrolment WHERE status = 'completed' ORDER BY ${d.u('ord', 55)} LIMIT $1)`,
    [Math.round(standing * 0.86)],
  );
  await sql(`
    CREATE TEMP TABLE wf_holder AS
    SELECT area_ord, person_ord, awarded_at,
           row_number() OVER (PARTITION BY area_ord ORDER BY awarded_at, person_ord)::int AS r
      FROM wf_enrolment WHERE certified`);
  await each(
    sql,
    'CREATE INDEX ON wf_holder (area_ord, awarded_at)',
    'CREATE INDEX ON wf_holder (area_ord, r)',
    'ANALYZE wf_holder',
  );
  await sql(`
    INSERT INTO wf_enrolment (ord, cohort_ord, area_ord, course, person_ord, certified)
    WITH offered AS (
      SELECT c.ord, c.area_ord, c.course, c.places,
             (SELECT count(*) FROM wf_holder h
               WHERE h.area_ord = c.area_ord AND h.awarded_at < c.starts_at - interval '14 days')::int AS available,
             coalesce(sum(c.places) OVER (PARTITION BY c.area_ord, c.course ORDER BY c.starts_at, c.ord
                                          ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)::int AS before
        FROM wf_cohort c WHERE c.course <> 'foundation' AND c.places > 0
    )
    SELECT o.ord * 256 + k, o.ord, o.area_ord, o.course, h.person_ord, false
      FROM offered o CROSS JOIN LATERAL generate_series(1, LEAST(o.places, o.available)) AS k
      JOIN wf_holder h ON h.area_ord = o.area_ord AND h.r = (o.before + k - 1) % NULLIF(o.available, 0) + 1`);
  await sql(`ANALYZE wf_enrolment`);
  await settleEnrolments(sql, d);
  // The rest of the certificates: Supervision and Facilitator completions first, then more Foundation ones.
  const [{ certified }] = await sql<{ certified: string }>(
    `SELECT count(*) AS certified FROM wf_enrolment WHERE certified`,
  );
  await sql(
    `UPDATE wf_enrolment SET certified = true WHERE ord IN (
       SELECT ord FROM wf_enrolment WHERE status = 'completed' AND NOT certified
        ORDER BY course = 'foundation', ${d.u('ord', 56)} LIMIT $1)`,
    [Math.max(0, standing - Number(certified))],
  );
}

async function writeEnrolments(sql: WorkforceSql, d: Draw): Promise<void> {
  await sql(`
    INSERT INTO enrolments (id, cohort_id, trainee_id, status, enrolled_at, withdrawn_at, created_at, updated_at)
    SELECT ${d.id('enrolment', 'e.ord')}, c.id, p.id, e.status, e.enrolled_at, e.withdrawn_at, e.enrolled_at,
           coalesce(e.withdrawn_at, GREATEST(e.enrolled_at, LEAST(c.ends_at, ${d.now})))
      FROM wf_enrolment e JOIN wf_cohort c ON c.ord = e.cohort_ord JOIN wf_person p ON p.ord = e.person_ord
     ORDER BY e.ord`);
}

/**
 * A mark for each trainee at each session held while they were enrolled, as many as asked for: what is left out
 * is the latest registers of cohorts in progress, then marks at random.
 */
async function attendance(sql: WorkforceSql, d: Draw, marks: number): Promise<void> {
  const mark = (shares: Array<[string, number]>) => d.weighted('e.ord * 64 + k', 60, shares);
  await sql(
    `CREATE TEMP TABLE wf_mark AS
     SELECT e.ord AS enrolment_ord, e.cohort_ord, k, e.status AS enrolment_status, c.status AS cohort_status,
            ${d.sessionStart('c', 'k')} AS starts_at,
            CASE WHEN e.status = 'completed' THEN ${mark([
              ['present', 0.9],
              ['late', 0.07],
              ['excused', 0.03],
            ])}
                 WHEN c.status = 'completed'
                   THEN ${mark([
                     ['present', 0.6],
                     ['late', 0.1],
                     ['absent', 0.22],
                     ['excused', 0.08],
                   ])}
                 ELSE ${mark([
                   ['present', 0.84],
                   ['late', 0.07],
                   ['absent', 0.06],
                   ['excused', 0.03],
                 ])}
            END AS status
       FROM wf_enrolment e JOIN wf_cohort c ON c.ord = e.cohort_ord
      CROSS JOIN LATERAL generate_series(0, c.held - 1) AS k
      WHERE ${d.sessionStart('c', 'k')} < coalesce(e.withdrawn_at, 'infinity')
      ORDER BY CASE WHEN c.status = 'in_progress' THEN k ELSE -1 END, ${d.u('e.ord * 64 + k', 61)}
      LIMIT $1`,
    [marks],
  );
  await sql(`ANALYZE wf_mark`);
  await sql(`
    INSERT INTO attendance (session_id, enrolment_id, status, made_up, recorded_by, recorded_at)
    SELECT ${d.id('session', 'm.cohort_ord * 64 + m.k')}, ${d.id('enrolment', 'm.enrolment_ord')}, m.status,
           m.status = 'excused' AND ${d.u('m.enrolment_ord * 64 + m.k', 62)} < 0.6, c.lead_facilitator,
           LEAST(${d.now}, m.starts_at + c.minutes * interval '1 minute' + (1 + 47 * ${d.u('m.enrolment_ord * 64 + m.k', 63)}) * interval '1 hour')
      FROM wf_mark m JOIN wf_cohort c ON c.ord = m.cohort_ord
     ORDER BY m.cohort_ord, m.k, m.enrolment_ord`);
}

/**
 * A reflection on each session attended, up to four supervision-session entries per Supervision trainee, and
 * practice contacts with families for Foundation trainees: as many as it takes to make the number asked for.
 * Returns how many were written.
 */
async function logbookEntries(sql: WorkforceSql, d: Draw, wanted: number): Promise<number> {
  const supervisionCount = `LEAST(c.held, 3 + (${d.u('e.ord', 70)} < 0.3)::int)`;
  const [counts] = await sql<{ reflections: string; supervision: string; practising: string }>(`
    SELECT (SELECT count(*) FROM wf_mark WHERE status IN ('present', 'late')) AS reflections,
           (SELECT coalesce(sum(${supervisionCount}), 0) FROM wf_enrolment e JOIN wf_cohort c ON c.ord = e.cohort_ord
             WHERE e.course = 'supervision' AND e.status IN ('completed', 'enrolled') AND c.held > 0) AS supervision,
           (SELECT count(*) FROM wf_enrolment e JOIN wf_cohort c ON c.ord = e.cohort_ord
             WHERE e.course = 'foundation' AND c.held > 0
               AND (e.withdrawn_at IS NULL OR e.withdrawn_at > c.starts_at)) AS practising`);
  const fixed = Number(counts.reflections) + Number(counts.supervision);
  const practising = Number(counts.practising);
  const contacts = Math.max(0, wanted - fixed);
  const perTrainee = practising > 0 ? Math.floor(contacts / practising) : 0;
  const extra = practising > 0 ? contacts - perTrainee * practising : 0;
  if (perTrainee > 800)
    throw new Error(`${wanted} logbook entries would need ${perTrainee} practice contacts each`);
  const done = `LEAST(c.ends_at, coalesce(e.withdrawn_at, 'infinity'), ${d.now})`;
  const source = `
    SELECT m.enrolment_ord, 'session_reflection' AS kind, m.k AS n, ${d.id('session', 'm.cohort_ord * 64 + m.k')} AS session_id,
           m.starts_at AS occurred_at, m.enrolment_status, m.cohort_status
      FROM wf_mark m WHERE m.status IN ('present', 'late')
    UNION ALL
    SELECT e.ord, 'supervision_session', 64 + k, NULL, c.starts_at + (${done} - c.starts_at) * ${d.u('e.ord * 1024 + 64 + k', 71)},
           e.status, c.status
      FROM wf_enrolment e JOIN wf_cohort c ON c.ord = e.cohort_ord CROSS JOIN LATERAL generate_series(1, ${supervisionCount}) AS k
     WHERE e.course = 'supervision' AND e.status IN ('completed', 'enrolled') AND c.held > 0
    UNION ALL
    SELECT e.ord, 'practice_contact', 128 + k, NULL, c.starts_at + (${done} - c.starts_at) * ${d.u('e.ord * 1024 + 128 + k', 71)},
           e.status, c.status
      FROM (SELECT e.*, row_number() OVER (ORDER BY ${d.u('e.ord', 72)}, e.ord) AS turn
              FROM wf_enrolment e JOIN wf_cohort c ON c.ord = e.cohort_ord
             WHERE e.course = 'foundation' AND c.held > 0
               AND (e.withdrawn_at IS NULL OR e.withdrawn_at > c.starts_at)) e
      JOIN wf_cohort c ON c.ord = e.cohort_ord
     CROSS JOIN LATERAL generate_series(1, ${perTrainee} + (e.turn <= ${extra})::int) AS k`;
  // Fewer entries asked for than sessions attended: a random share of the reflections and supervision entries.
  const picked =
    fixed > wanted
      ? `SELECT * FROM (${source}) s ORDER BY ${d.u('s.enrolment_ord * 1024 + s.n', 73)} LIMIT ${wanted}`
      : source;
  const key = 's.enrolment_ord * 1024 + s.n';
  const entry = (shares: Array<[string, number]>) => d.weighted(key, 74, shares);
  const text = (prompt: number) =>
    `CASE s.kind ${(['session_reflection', 'practice_contact', 'supervision_session'] as const)
      .map((kind) => `WHEN '${kind}' THEN ${d.pick(ENTRY_TEXTS[kind][prompt], key, 75 + prompt)}`)
      .join(' ')} END`;
  const skill = (offset: string) =>
    `(${arrayLiteral(HELPER_SKILLS)})[1 + (floor(${HELPER_SKILLS.length} * ${d.u(key, 80)})::int + ${offset}) % ${HELPER_SKILLS.length}]`;
  await sql(`
    INSERT INTO logbook_entries (id, enrolment_id, kind, status, session_id, occurred_on, minutes, stage, skills,
                                 what_happened, reflection, learning, next_steps, revision, submitted_at, created_at, updated_at)
    SELECT ${d.id('entry', key)}, ${d.id('enrolment', 's.enrolment_ord')}, s.kind, x.status, s.session_id,
           (s.occurred_at AT TIME ZONE ${LONDON})::date,
           CASE WHEN s.kind = 'practice_contact' THEN 30 + 5 * floor(13 * ${d.u(key, 81)})::int END,
           CASE WHEN s.kind = 'practice_contact' THEN ${d.pick(HELPING_PROCESS_STAGES, key, 82)} END,
           CASE WHEN s.kind = 'practice_contact' THEN ARRAY[${skill('0')}, ${skill(`1 + floor(3 * ${d.u(key, 83)})::int`)}]
                ELSE '{}' END,
           ${text(0)}, ${text(1)}, ${text(2)}, ${text(3)},
           CASE WHEN x.status = 'draft' THEN 0 WHEN x.status = 'accepted' AND ${d.u(key, 84)} < 0.12 THEN 2 ELSE 1 END,
           CASE WHEN x.status <> 'draft' THEN t.submitted_at END, t.created_at,
           CASE WHEN x.status = 'draft' THEN t.created_at ELSE t.submitted_at END
      FROM (${picked}) s
     CROSS JOIN LATERAL (SELECT CASE
             WHEN s.enrolment_status = 'completed' THEN 'accepted'
             WHEN s.enrolment_status = 'withdrawn' THEN ${entry([
               ['draft', 0.4],
               ['submitted', 0.3],
               ['accepted', 0.3],
             ])}
             WHEN s.cohort_status = 'completed'
               THEN ${entry([
                 ['accepted', 0.5],
                 ['submitted', 0.15],
                 ['returned', 0.1],
                 ['draft', 0.25],
               ])}
             ELSE ${entry([
               ['accepted', 0.55],
               ['submitted', 0.2],
               ['returned', 0.07],
               ['draft', 0.18],
             ])}
           END AS status) x
     CROSS JOIN LATERAL (SELECT LEAST(${d.now} - interval '1 hour', s.occurred_at + (2 + 46 * ${d.u(key, 85)}) * interval '1 hour') AS created_at) c
     CROSS JOIN LATERAL (SELECT LEAST(${d.now}, c.created_at + (1 + 10 * ${d.u(key, 86)}) * interval '1 day') AS submitted_at,
                                c.created_at) t
     ORDER BY ${key}`);
  return fixed > wanted ? wanted : fixed + (practising > 0 ? contacts : 0);
}

/**
 * Certificates for the enrolments marked, issued after their cohorts ended (so their quarterly count rises with
 * the cohorts), with serials numbered on from the ones already given; a few re-issued after a change of name (the
 * original superseded), a few revoked. Each standing one proves a completion; a Facilitator one an accreditation.
 */
async function certificates(
  sql: WorkforceSql,
  d: Draw,
  wanted: number,
  courses: Map<CourseCode, CourseRow>,
): Promise<void> {
  const superseded = Math.round(wanted * SUPERSEDED_SHARE);
  await sql(`
    CREATE TEMP TABLE wf_cert AS
    SELECT e.ord, e.course, e.awarded_at, e.awarded_at AS issued_at, p.id AS holder_id, p.name AS holder_name,
           c.lead_user AS issued_by, false AS reissued, NULL::timestamptz AS revoked_at
      FROM wf_enrolment e JOIN wf_person p ON p.ord = e.person_ord JOIN wf_cohort c ON c.ord = e.cohort_ord
     WHERE e.certified`);
  await sql(
    `UPDATE wf_cert w SET reissued = true,
            issued_at = w.awarded_at + (${d.now} - w.awarded_at) * (0.2 + 0.7 * ${d.u('w.ord', 90)})
      WHERE w.ord IN (SELECT ord FROM wf_cert WHERE awarded_at < ${d.now} - interval '60 days'
                       ORDER BY ${d.u('ord', 91)} LIMIT $1)`,
    [superseded],
  );
  await sql(
    `UPDATE wf_cert w SET revoked_at = w.issued_at + (${d.now} - w.issued_at) * (0.1 + 0.8 * ${d.u('w.ord', 92)})
      WHERE w.ord IN (SELECT ord FROM wf_cert ORDER BY ${d.u('ord', 93)} LIMIT $1)`,
    [Math.round((wanted - superseded) * REVOKED_SHARE)],
  );
  await sql(`ANALYZE wf_cert`);
  const prefix = `CASE r.course ${Object.entries(SERIAL_PREFIXES)
    .map(([course, code]) => `WHEN '${course}' THEN '${code}'`)
    .join(' ')} END`;
  await sql(`
    INSERT INTO certificates (id, enrolment_id, course_code, serial, verification_code, status, holder_name, issued_by_id,
                              issued_at, rendered_at, render_attempts, revoked_at, revocation_reason, supersedes_id)
    SELECT r.id, ${d.id('enrolment', 'r.ord')}, r.course,
           ${prefix} || '-' || r.year || '-' || lpad(r.number::text, GREATEST(6, length(r.number::text)), '0'),
           md5('${d.seed}:' || r.id::text), r.status, r.holder_name, r.issued_by, r.issued_at,
           r.issued_at + interval '2 minutes', 1, r.revoked_at,
           CASE WHEN r.revoked_at IS NOT NULL THEN ${d.pick(REVOCATION_REASONS, 'r.ord', 94)} END, r.supersedes_id
      FROM (SELECT r.*, coalesce(s.last, 0) + row_number() OVER (PARTITION BY r.course, r.year ORDER BY r.issued_at, r.id) AS number
              FROM (SELECT w.ord, w.course, w.issued_at, extract(year FROM w.issued_at AT TIME ZONE 'UTC')::int AS year,
                           ${d.id('certificate', 'w.ord')} AS id,
                           CASE WHEN w.revoked_at IS NULL THEN 'issued' ELSE 'revoked' END AS status,
                           w.holder_name, w.issued_by, w.revoked_at,
                           CASE WHEN w.reissued THEN ${d.id('original', 'w.ord')} END AS supersedes_id
                      FROM wf_cert w
                    UNION ALL
                    -- The original, in the holder's former surname.
                    SELECT w.ord, w.course, w.awarded_at, extract(year FROM w.awarded_at AT TIME ZONE 'UTC')::int,
                           ${d.id('original', 'w.ord')}, 'superseded',
                           split_part(w.holder_name, ' ', 1) || ' ' || ${d.pick(SURNAMES, 'w.ord', 95)}, w.issued_by, NULL, NULL
                      FROM wf_cert w WHERE w.reissued) r
              LEFT JOIN certificate_serials s ON s.course_code = r.course AND s.year = r.year) r`);
  await sql(`
    INSERT INTO certificate_serials (course_code, year, last)
    SELECT course_code, split_part(serial, '-', 2)::int, max(split_part(serial, '-', 3)::int)
      FROM certificates GROUP BY 1, 2
    ON CONFLICT (course_code, year) DO UPDATE SET last = GREATEST(certificate_serials.last, EXCLUDED.last)`);
  await sql(`
    INSERT INTO course_completions (id, user_id, course_code, completed_on, enrolment_id, certificate_id, withdrawn_on, created_at)
    SELECT ${d.id('completion', 'w.ord')}, w.holder_id, w.course, (w.awarded_at AT TIME ZONE ${LONDON})::date,
           ${d.id('enrolment', 'w.ord')}, ${d.id('certificate', 'w.ord')}, (w.revoked_at AT TIME ZONE ${LONDON})::date,
           w.awarded_at
      FROM wf_cert w`);
  const years = courses.get('facilitator')!.accreditation_years;
  if (years)
    await sql(`
      INSERT INTO facilitator_accreditations (id, user_id, course_code, granted_on, expires_on, valid_years,
                                              certificate_id, withdrawn_on, created_at)
      SELECT ${d.id('accreditation', '1000000000 + w.ord')}, w.holder_id, 'foundation',
             (w.awarded_at AT TIME ZONE ${LONDON})::date,
             ((w.awarded_at AT TIME ZONE ${LONDON})::date + interval '${years} years')::date, ${years},
             ${d.id('certificate', 'w.ord')}, (w.revoked_at AT TIME ZONE ${LONDON})::date, w.awarded_at
        FROM wf_cert w WHERE w.course = 'facilitator'`);
}
