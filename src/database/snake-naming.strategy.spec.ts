import { snakeCase } from 'src/database/snake-naming.strategy';

describe(snakeCase.name, () => {
  it.each([
    ['organisationId', 'organisation_id'],
    ['lastSignedInAt', 'last_signed_in_at'],
    ['HTMLBody', 'html_body'],
    ['id', 'id'],
  ])('turns %s into %s', (input, output) => {
    expect(snakeCase(input)).toBe(output);
  });
});
