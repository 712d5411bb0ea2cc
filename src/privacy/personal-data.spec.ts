import { erasedRows } from 'src/privacy/personal-data';

describe(erasedRows.name, () => {
  it('names only the tables with rows changed, and in each only the counts above zero', () => {
    expect(
      erasedRows({
        logbook_entries: { deleted: 3 },
        logbook_reviews: { deleted: 0 },
        email_messages: { deleted: 0, anonymised: 2 },
      }),
    ).toEqual({ logbook_entries: { deleted: 3 }, email_messages: { anonymised: 2 } });
  });
});
