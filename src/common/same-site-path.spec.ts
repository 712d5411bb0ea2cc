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
    ['a backslash after the slash', '/\\/evil.example'],
    ['a leading backslash', '\\/evil.example'],
    ['a tab before a backslash', '/\t\\evil.example'],
    ['a leading space', ' //evil.example'],
    ['a path that normalises to two slashes', '/.//evil.example'],
    ['encoded dots that normalise to two slashes', '/%2e%2e//evil.example'],
    ['an absolute address with one slash', 'https:/evil.example'],
    ['an address on a look-alike host', 'https://fpm.example.org.evil.example/'],
    ['an absolute address', 'https://evil.example/'],
    ['a script address', 'javascript:alert(1)'],
    ['a script address in mixed case', 'JaVaScRiPt:alert(1)'],
    ['a relative path', 'admin/users'],
    ['nothing', undefined],
    ['a number', 42],
    ['a list', ['/admin']],
  ])('sends %s to the dashboard', (_name, next) => {
    expect(sameSitePath(next, SITE)).toBe('/');
  });

  // Browsers do not decode these in a Location header, so they stay paths on this site.
  it.each(['/%09/evil.example', '/%2F%2Fevil.example', '/%5Cevil.example', '/%0d%0aSet-Cookie:a=b'])(
    'keeps the encoded form %s as a path on this site',
    (next) => {
      expect(sameSitePath(next, SITE)).toBe(next);
    },
  );

  it('never returns text that cannot go in a Location header', () => {
    for (const next of ['/a\nb', '/a\u0000b', '/caf\u00e9', '/a b', '/a\u2028b']) {
      const path = sameSitePath(next, SITE);
      expect(path).toMatch(/^\/[\x21-\x7e]*$/);
    }
  });
});
