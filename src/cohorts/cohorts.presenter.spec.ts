import { registerRowView, registerSession, requirementLabel } from 'src/cohorts/cohorts.presenter';
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
