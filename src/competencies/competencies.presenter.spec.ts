import {
  competencyGridView,
  entryLabel,
  fieldId,
  itemFieldErrors,
  SIGN_OFF_FIELDS,
} from 'src/competencies/competencies.presenter';
import type { EnrolmentCompetenciesView, SignOffView } from 'src/competencies/competencies.service';

const signOff = (overrides: Partial<SignOffView>): SignOffView => ({
  id: 'record-1',
  competencyCode: 'helper-quality.respect',
  enrolmentId: 'enrolment-1',
  outcome: 'met',
  evidenceEntryIds: [],
  comment: 'Seen in the role play',
  signedBy: { id: 'facilitator-1', name: 'Femi Facilitator' },
  signedAt: new Date('2026-11-03T18:00:00Z'),
  supersedesId: null,
  ...overrides,
});

const view = (overrides: Partial<EnrolmentCompetenciesView> = {}): EnrolmentCompetenciesView => {
  const met = signOff({ id: 'record-2', evidenceEntryIds: ['entry-1', 'entry-9'], supersedesId: 'record-1' });
  return {
    enrolmentId: 'enrolment-1',
    traineeId: 'trainee-1',
    traineeName: 'Tom Trainee',
    cohortId: 'cohort-1',
    cohortTitle: 'Merton Foundation, autumn 2026',
    courseCode: 'foundation',
    courseVersionId: 'version-1',
    met: 1,
    total: 2,
    canSignOff: true,
    groups: [
      {
        group: 'helper_qualities',
        name: 'Helper qualities',
        competencies: [
          {
            code: 'helper-quality.respect',
            group: 'helper_qualities',
            title: 'Respect',
            description: 'Treats parents as experts.',
            state: 'met',
            current: met,
            history: [met, signOff({ outcome: 'not_yet', comment: 'Not yet' })],
          },
          {
            code: 'helper-quality.empathy',
            group: 'helper_qualities',
            title: 'Empathy',
            description: 'Understands the parent.',
            state: 'none',
            current: null,
            history: [],
          },
        ],
      },
    ],
    ...overrides,
  };
};

const accepted = [{ id: 'entry-1', kind: 'session_reflection' as const, occurredOn: '2026-11-01' }];

describe(competencyGridView.name, () => {
  it('shows staff each item with its state tag, evidence links, history and forms', () => {
    const grid = competencyGridView({
      view: view(),
      viewerId: 'facilitator-1',
      acceptedEntries: accepted,
      values: {},
      open: '',
    });
    expect(grid).toMatchObject({
      heading: 'Competencies: Tom Trainee',
      backHref: '/cohorts/cohort-1/progress',
      courseName: 'Foundation',
      met: 1,
      total: 2,
    });
    const [respect, empathy] = grid.groups[0].competencies;
    expect(respect).toMatchObject({
      anchor: 'helper-quality-respect-item',
      stateLabel: 'Met',
      stateTag: 'govuk-tag--green',
      current: {
        evidence: [
          { href: '/logbook/entries/entry-1', text: 'Session reflection, 1 Nov 2026' },
          { text: 'A logbook entry no longer held' },
        ],
        signedBy: 'Femi Facilitator',
      },
      revoke: { signOffId: 'record-2', reasonId: 'helper-quality-respect-reason', open: false },
    });
    expect(respect.history.map((record) => record.outcomeLabel)).toEqual(['Met', 'Not yet met']);
    expect(empathy).toMatchObject({ stateLabel: 'Not assessed', stateTag: 'govuk-tag--grey', revoke: null });
    expect(empathy.signOff).toMatchObject({
      open: false,
      ids: { comment: 'helper-quality-empathy-comment' },
      evidence: [{ value: 'entry-1', id: 'helper-quality-empathy-evidenceEntryIds', checked: false }],
    });
  });

  it('opens the refused form of its item again with what was typed, and the one asked for by ?open=', () => {
    const grid = competencyGridView({
      view: view(),
      viewerId: 'facilitator-1',
      acceptedEntries: accepted,
      values: {
        form: 'sign-off',
        code: 'helper-quality.empathy',
        outcome: 'not_yet',
        evidenceEntryIds: ['entry-1'],
        comment: 'Rushes to reassure',
      },
      open: 'helper-quality.respect',
    });
    const [respect, empathy] = grid.groups[0].competencies;
    expect(respect.signOff).toMatchObject({ open: true, comment: '' });
    const form = empathy.signOff as Exclude<typeof empathy.signOff, false>;
    expect(form.open).toBe(true);
    expect(form.comment).toBe('Rushes to reassure');
    expect(form.outcomes.map((o) => [o.value, o.checked])).toEqual([
      ['met', false],
      ['not_yet', true],
    ]);
    expect(form.evidence[0].checked).toBe(true);
  });

  it('shows the trainee their own grid without forms, back to their progress', () => {
    const grid = competencyGridView({
      view: view({ canSignOff: false }),
      viewerId: 'trainee-1',
      acceptedEntries: accepted,
      values: {},
      open: '',
    });
    expect(grid).toMatchObject({
      heading: 'Your competencies',
      backHref: '/my/enrolments/enrolment-1/progress',
    });
    expect(grid.groups[0].competencies.every((item) => !item.signOff && !item.revoke)).toBe(true);
  });
});

describe(itemFieldErrors.name, () => {
  it("names the service's fields as the item's form fields, anything else beside the first", () => {
    expect(
      itemFieldErrors('helper-skill.summarising', SIGN_OFF_FIELDS, {
        comment: ['Enter a comment'],
        body: ['Send the fields'],
      }),
    ).toEqual({
      'helper-skill-summarising-comment': ['Enter a comment'],
      'helper-skill-summarising-outcome': ['Send the fields'],
    });
    expect(fieldId('a.b', 'reason')).toBe('a-b-reason');
  });
});

describe(entryLabel.name, () => {
  it('names an entry by its kind and date', () => {
    expect(entryLabel({ id: 'e', kind: 'practice_contact', occurredOn: '2026-03-09' })).toBe(
      'Practice contact, 9 Mar 2026',
    );
  });
});
