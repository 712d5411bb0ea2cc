import type { BulkEnrolmentResult } from 'src/cohorts/bulk-enrolment.service';
import {
  bulkEnrolmentView,
  cohortPageView,
  registerRowView,
  registerSession,
  requirementLabel,
} from 'src/cohorts/cohorts.presenter';
import type { CohortDetail } from 'src/cohorts/cohorts.service';
import type { EnrolmentView } from 'src/cohorts/enrolments.service';
import type { CohortSession } from 'src/cohorts/cohort-session.entity';

const row = {
  enrolmentId: 'e1',
  traineeId: 't1',
  traineeName: 'Sam',
  status: 'late' as const,
  madeUp: false,
};

describe(registerRowView.name, () => {
  it('shows the stored mark, or what was typed into a refused form, with its error', () => {
    const stored = registerRowView(row, undefined, {});
    expect(stored.recorded).toBe('Late');
    expect(stored.options.find((option) => option.checked)?.value).toBe('late');
    const retyped = registerRowView(row, { 'status[e1]': 'absent' }, { 'mark-e1': ['Choose a mark'] });
    expect(retyped.options.find((option) => option.checked)?.value).toBe('absent');
    expect(retyped.error).toBe('Choose a mark');
  });
});

describe(requirementLabel.name, () => {
  it('names a requirement and the course it needs', () => {
    expect(requirementLabel('practice_contacts')).toBe('Practice contacts');
    expect(requirementLabel('prerequisite:foundation')).toBe('Prerequisite: Foundation');
  });
});

describe(registerSession.name, () => {
  const at = (iso: string, status: CohortSession['status'] = 'scheduled') =>
    ({ startsAt: new Date(iso), status }) as CohortSession;

  it('is the latest session whose register has opened, else the next one', () => {
    const sessions = [
      at('2027-01-05T18:00:00Z'),
      at('2027-01-12T18:00:00Z', 'cancelled'),
      at('2027-01-19T18:00:00Z'),
    ];
    expect(registerSession(sessions, Date.parse('2027-01-13T12:00:00Z'))).toBe(sessions[0]);
    expect(registerSession(sessions, Date.parse('2027-01-19T17:30:00Z'))).toBe(sessions[2]);
    expect(registerSession(sessions, Date.parse('2027-01-01T00:00:00Z'))).toBe(sessions[0]);
  });
});

describe(cohortPageView.name, () => {
  const session = (id: string, status: CohortSession['status'], venue: string | null) =>
    ({
      id,
      title: id,
      status,
      venue,
      startsAt: new Date('2027-02-01T18:00:00Z'),
      endsAt: new Date('2027-02-01T20:00:00Z'),
    }) as CohortSession;
  const detail = (actions: CohortDetail['actions'], manage: boolean) =>
    ({
      cohort: {
        id: 'c1',
        title: 'Merton spring',
        status: 'open',
        deliveryMode: 'in_person',
        venue: 'Civic Centre',
        capacity: 2,
      },
      sessions: [
        session('s1', 'scheduled', null),
        session('s2', 'scheduled', 'Room 4'),
        session('s3', 'cancelled', null),
      ],
      facilitators: [],
      counts: { enrolled: 1, waitlisted: 1, requested: 0 },
      access: { manage, facilitate: false, enrolled: !manage },
      actions,
    }) as unknown as CohortDetail;
  const enrolment = (
    id: string,
    traineeId: string,
    status: EnrolmentView['status'],
    waitlistPosition: number | null,
  ) =>
    ({
      id,
      traineeId,
      traineeName: id,
      traineeEmail: `${id}@x.org`,
      status,
      waitlistPosition,
    }) as EnrolmentView;
  const enrolments = [enrolment('a', 't1', 'enrolled', null), enrolment('b', 't2', 'waitlisted', 1)];

  it('offers a manager only the actions the service allows, and the people not yet on the cohort', () => {
    const view = cohortPageView({
      detail: detail({ edit: true, statuses: ['in_progress'], cancel: true }, true),
      enrolments,
      viewerId: 'lead',
      trainees: [
        { id: 't1', name: 'On it', email: 'a@x.org' },
        { id: 't3', name: 'New', email: 'n@x.org' },
      ],
      facilitators: [],
      values: {},
    });
    expect(view.statusActions).toEqual([{ status: 'in_progress', text: 'Start the cohort' }]);
    expect(view.canCancel).toBe(true);
    expect(view.traineeOptions.map((option) => option.value)).toEqual(['t3']);
    expect(view.enrolled.map((person) => [person.id, person.canWithdraw])).toEqual([['a', true]]);
    expect(view.waiting).toEqual([expect.objectContaining({ id: 'b', position: 1 })]);
  });

  it('gives each session the one venue rule, and no change links to someone who cannot change it', () => {
    const view = cohortPageView({
      detail: detail({ edit: false, statuses: [], cancel: false }, false),
      enrolments: [enrolments[1]],
      viewerId: 't2',
      trainees: [],
      facilitators: [],
      values: {},
    });
    expect(view.sessions.map((s) => s.venue)).toEqual(['Civic Centre', 'Room 4', 'Civic Centre']);
    expect(view.sessions.every((s) => s.changeHref === null)).toBe(true);
    expect(view.statusActions).toEqual([]);
    expect(view.mine?.label).toBe('Number 1 on the waiting list');
  });
});

describe(bulkEnrolmentView.name, () => {
  it('offers to confirm a preview only when someone would be added, and says what happens to each row', () => {
    const result: BulkEnrolmentResult = {
      dryRun: true,
      rows: [
        { row: 1, email: 'a@x.org', name: 'A', outcome: 'invite', place: 'enrolled', waitlistPosition: null },
        {
          row: 2,
          email: 'b@x.org',
          name: 'B',
          outcome: 'existing',
          place: 'waitlisted',
          waitlistPosition: 1,
        },
        { row: 3, email: 'c@x.org', name: 'C', outcome: 'already_enrolled' },
        {
          row: 4,
          email: 'bad',
          name: 'D',
          outcome: 'error',
          code: 'VALIDATION_FAILED',
          reason: 'Enter an e-mail address',
        },
      ],
      summary: { invite: 1, existing: 1, already_enrolled: 1, error: 1, enrolled: 1, waitlisted: 1 },
    };
    const view = bulkEnrolmentView(result, 1);
    expect(view.canConfirm).toBe(true);
    expect(view.willAdd).toBe(2);
    expect(view.rows.map((row) => [row.tag.text, row.placeText])).toEqual([
      ['New: invited', 'A place'],
      ['Has an account', 'Waiting list, number 1'],
      ['Already on this cohort', 'Nothing changes'],
      ['Cannot be added', ''],
    ]);
    expect(bulkEnrolmentView({ ...result, dryRun: false }, 0).canConfirm).toBe(false);
  });
});
