import { characterErrors, characterProblem, jsonDepthExceeds } from 'src/common/input-characters';

describe(characterProblem.name, () => {
  it.each([
    ['NUL', 'a\u0000b', 'U+0000'],
    ['escape', 'a\u001bb', 'U+001B'],
    ['DEL', 'a\u007fb', 'U+007F'],
    ['a C1 control', 'a\u0085b', 'U+0085'],
    ['a right-to-left override', 'Sam \u202eetaP', 'U+202E'],
    ['a direction isolate', 'a\u2067b', 'U+2067'],
  ])('refuses %s, naming the character', (_name, text, code) => {
    expect(characterProblem(text)).toContain(code);
  });

  it('refuses a lone surrogate at the start, middle or end, but not a pair', () => {
    expect(characterProblem('\ud800abc')).toMatch(/surrogate/);
    expect(characterProblem('ab\udc00c')).toMatch(/surrogate/);
    expect(characterProblem('abc\ud83d')).toMatch(/surrogate/);
    expect(characterProblem('family \ud83d\udc6a')).toBeNull();
  });

  it('accepts tabs, line breaks and text in any script', () => {
    expect(characterProblem('line one\r\nline two\ttabbed')).toBeNull();
    expect(characterProblem('Zoë Ó Súilleabháin, علي, 王芳')).toBeNull();
  });
});

describe(characterErrors.name, () => {
  it('gives one message per field, with nested paths, for values and keys', () => {
    expect(
      characterErrors({ name: 'ok', sessions: [{ title: 'a\u0000' }], nested: { 'bad\u0000key': 1 } }),
    ).toEqual({
      'sessions.0.title': [expect.stringContaining('U+0000')],
      nested: [expect.stringContaining('field name')],
    });
  });

  it('refuses keys named like parts of the object model, at any depth', () => {
    const body = JSON.parse('{"prototype":{"constructor":1},"a":[{"b":{"constructor":"x"}}]}') as unknown;
    expect(characterErrors(body)).toEqual({
      body: ['A field name must not be prototype'],
      'a.0.b': ['A field name must not be constructor'],
    });
  });

  it('names a query parameter by its own name', () => {
    expect(Object.keys(characterErrors('x\u0000', 'q'))).toEqual(['q']);
  });
});

describe(jsonDepthExceeds.name, () => {
  it('counts nesting of objects and arrays, not brackets inside strings', () => {
    expect(jsonDepthExceeds('{"a":[{"b":1}]}', 3)).toBe(false);
    expect(jsonDepthExceeds('{"a":[{"b":[1]}]}', 3)).toBe(true);
    expect(jsonDepthExceeds('{"a":"[[[[[[[[[[\\"[[[["}', 1)).toBe(false);
  });

  it('finds a hostile depth without recursion', () => {
    expect(jsonDepthExceeds('['.repeat(1_000_000) + ']'.repeat(1_000_000))).toBe(true);
  });
});
