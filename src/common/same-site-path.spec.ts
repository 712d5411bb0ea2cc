import { sameSitePath } from 'src/common/same-site-path';

const SITE = 'https://fpm.example.org';

describe(sameSitePath.name, () => {
  it('keeps a path on this site, with its query and fragment', () => {
    expect(sameSitePath('/admin/users?role=trainee#list', SITE)).toBe('/admin/users?role=trainee#list');
  });

  it.each([
    ['a protocol-relative address', '//evil.example'],
    ['a backslash', '/\\evil.example'],
    ['a tab between the slashes', '/\t/evil.example'],
    ['a line break between the slashes', '/\n/evil.example'],
    ['a carriage return between the slashes', '/\r/evil.example'],
    ['a path that normalises to two slashes', '/.//evil.example'],
    ['an absolute address', 'https://evil.example/'],
    ['a script address', 'javascript:alert(1)'],
    ['a relative path', 'admin/users'],
    ['nothing', undefined],
    ['a number', 42],
    ['a list', ['/admin']],
  ])('sends %s to the dashboard', (_name, next) => {
    expect(sameSitePath(next, SITE)).toBe('/');
  });

  it('never returns text that cannot go in a Location header', () => {
    for (const next of ['/a\nb', '/a\u0000b', '/caf\u00e9', '/a b', '/a\u2028b']) {
      const path = sameSitePath(next, SITE);
      expect(path).toMatch(/^\/[\x21-\x7e]*$/);
    }
  });
});
