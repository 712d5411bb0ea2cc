import { readPeopleList } from 'src/cohorts/people-list';

describe('readPeopleList', () => {
  it('reads e-mail, name and profession in that order', () => {
    expect(
      readPeopleList('sam@example.org, Sam Patel, Health visitor\nlee@example.org,Lee Wong,social_worker'),
    ).toEqual({
      people: [
        { email: 'sam@example.org', name: 'Sam Patel', profession: 'Health visitor' },
        { email: 'lee@example.org', name: 'Lee Wong', profession: 'social_worker' },
      ],
      problems: [],
    });
  });

  it('reads what Excel saves: a byte-order mark, semicolons, quoted fields and CRLF, with headings in any order', () => {
    const csv =
      '\uFEFFName;E-mail address;Job title\r\n"Patel; Sam";sam@example.org;"Health visitor"\r\n\r\n';
    expect(readPeopleList(csv).people).toEqual([
      { email: 'sam@example.org', name: 'Patel; Sam', profession: 'Health visitor' },
    ]);
  });

  it('reads a paste from a spreadsheet, separated by tabs', () => {
    expect(
      readPeopleList('Email\tName\tProfession\nsam@example.org\tSam Patel\tSocial worker').people,
    ).toEqual([{ email: 'sam@example.org', name: 'Sam Patel', profession: 'Social worker' }]);
  });

  it('keeps a short row as it is, for the check of each person to refuse', () => {
    expect(readPeopleList('sam@example.org').people).toEqual([
      { email: 'sam@example.org', name: '', profession: '' },
    ]);
  });

  it('says when there is nothing to read', () => {
    expect(readPeopleList('  \n ').problems).toEqual(['Paste the list, or choose a CSV file']);
    expect(readPeopleList('Email,Name,Profession\n').problems).toEqual(['The list has no people in it']);
  });
});
