import type { LogbookEntry } from 'src/logbooks/logbook-entry.entity';
import type { LogbookRevision } from 'src/logbooks/logbook-revision.entity';
import { changesSince, entryFormView, findingView, logbookView } from 'src/logbooks/logbook.presenter';
import { screen } from 'src/logbooks/screener';

const entry = (kind: LogbookEntry['kind'], status: LogbookEntry['status']) =>
  ({ id: `${kind}-${status}`, kind, status, occurredOn: '2026-11-16', whatHappened: '' }) as LogbookEntry;

describe(logbookView.name, () => {
  it('offers the kinds the course takes, groups entries by kind, and shows only the logbook rows', () => {
    const view = logbookView({
      courseCode: 'foundation',
      own: true,
      entries: [entry('practice_contact', 'returned'), entry('session_reflection', 'accepted')],
      requirements: [
        { key: 'attendance', met: true, detail: 'attendance: 10 of 10' },
        { key: 'logbook:practice_contacts', met: false, detail: 'practice contacts: 4 of 6 accepted' },
      ],
      reads: [],
    });
    expect(view.writeLinks.map((link) => link.kind)).toEqual(['session_reflection', 'practice_contact']);
    expect(view.groups.map((group) => [group.label, group.entries[0].statusLabel])).toEqual([
      ['Session reflections', 'Accepted'],
      ['Practice contacts', 'Returned with feedback'],
    ]);
    expect(view.requirements.map((row) => row.key)).toEqual(['logbook:practice_contacts']);
    expect(view.groups[0].entries[0].summary).toBe('(not written yet)');
  });

  it('offers a reviewer no links to write in someone else’s logbook', () => {
    expect(
      logbookView({ courseCode: 'supervision', own: false, entries: [], requirements: [], reads: [] })
        .writeLinks,
    ).toEqual([]);
  });
});

describe(findingView.name, () => {
  it('shows a finding in the words around it, shortened at the edges', () => {
    const text = `${'A long run of words before it, well over forty characters. '}Call 07700 900123 today.`;
    const [finding] = screen(text);
    expect(findingView(text, finding)).toMatchObject({
      label: 'Phone number',
      refusal: true,
      text: '07700 900123',
      after: ' today.',
    });
    expect(findingView(text, finding).before.startsWith('…')).toBe(true);
  });
});

describe(entryFormView.name, () => {
  it('puts each finding beside the prompt it is in, and asks for confirmation only of warnings', () => {
    const values = { whatHappened: 'Baby Amelia slept.', reflection: 'fine', skills: 'summarising' };
    const findings = screen(values.whatHappened).map((finding) => ({ ...finding, field: 'whatHappened' }));
    const view = entryFormView({ kind: 'practice_contact', values, sessions: [], findings });
    expect(view.prompts[0].findings.map((f) => f.text)).toEqual(['Amelia']);
    expect(view.prompts[1].findings).toEqual([]);
    expect(view.hasWarnings).toBe(true);
    expect(view.skillOptions.filter((skill) => skill.checked).map((skill) => skill.value)).toEqual([
      'summarising',
    ]);
  });
});

describe(changesSince.name, () => {
  it('lists the prompts changed between the returned revision and the one sent back', () => {
    const revision = (number: number, nextSteps: string) =>
      ({
        number,
        content: {
          kind: 'session_reflection',
          whatHappened: 'same',
          reflection: 'same',
          learning: 'same',
          nextSteps,
        },
      }) as unknown as LogbookRevision;
    expect(changesSince(revision(1, 'Try again'), revision(2, 'Ask first'))).toEqual([
      { label: 'What I will do next', before: 'Try again', after: 'Ask first' },
    ]);
  });
});
