import { withoutPerson } from 'src/privacy/without-person';
import { ERASED_NAME } from 'src/users/erased-account';

const subject = { id: 'person', email: 'Ann.Smith@example.org', name: 'Ann Smith' };

describe(withoutPerson.name, () => {
  it('replaces the name and the address wherever they stand in the details, whatever the case of the address', () => {
    expect(
      withoutPerson(
        {
          people: [{ email: 'ann.smith@example.org', note: 'Enrolled Ann Smith' }],
          serial: 'FND-2026-000001',
        },
        subject,
        false,
      ),
    ).toEqual({
      people: [{ email: '(erased)', note: `Enrolled ${ERASED_NAME}` }],
      serial: 'FND-2026-000001',
    });
  });

  it('in an event about the person, removes a name or address they no longer have', () => {
    expect(
      withoutPerson({ name: 'Ann Jones', email: 'ann@old.example', roles: ['trainee'] }, subject, true),
    ).toEqual({
      name: '(erased)',
      email: '(erased)',
      roles: ['trainee'],
    });
    expect(withoutPerson({ name: 'Ann Jones' }, subject, false)).toEqual({ name: 'Ann Jones' });
  });

  it('reads an address with characters a regular expression would take as its own literally', () => {
    expect(withoutPerson('a+b@x.org and aXb@x.org', { ...subject, email: 'a+b@x.org' }, false)).toBe(
      '(erased) and aXb@x.org',
    );
  });

  it('erases the name and the address where they stand alone, in any case, and leaves longer names and addresses', () => {
    const ann = { id: 'person', email: 'ann@x.org', name: 'Ann' };
    expect(withoutPerson("Ann's entry, reviewed for ANN; Annabel and Ann-Marie stay", ann, false)).toBe(
      `${ERASED_NAME}'s entry, reviewed for ${ERASED_NAME}; Annabel and Ann-Marie stay`,
    );
    expect(
      withoutPerson('Write to ann@x.org. Not joann@x.org, ann@x.org.uk or my.ann@x.org', ann, false),
    ).toBe('Write to (erased). Not joann@x.org, ann@x.org.uk or my.ann@x.org');
    expect(
      withoutPerson(
        'Zoë sent it to zoë.brown@x.org',
        { id: 'p', email: 'zoë.brown@x.org', name: 'Zoë' },
        false,
      ),
    ).toBe(`${ERASED_NAME} sent it to (erased)`);
  });
});
