import { safeNext } from 'src/auth/auth.pages.controller';

describe(safeNext.name, () => {
  it('keeps a path on this site', () => {
    expect(safeNext('/admin/users?role=trainee')).toBe('/admin/users?role=trainee');
  });

  it.each(['//evil.example', '/\\evil.example', 'https://evil.example', undefined, 42])(
    'sends %p to the dashboard',
    (next) => {
      expect(safeNext(next)).toBe('/');
    },
  );
});
