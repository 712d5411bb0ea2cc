import { IsInt, IsString, ValidateNested } from 'class-validator';
import { validateForm } from 'src/common/validation';
import { NestedType } from 'src/common/validators';

class Inner {
  @IsInt({ message: 'count must be a whole number' })
  count: number;
}

class Outer {
  @IsString({ message: 'name must be text' })
  name: string;

  @ValidateNested()
  @NestedType(() => Inner)
  inner: Inner;
}

describe(validateForm.name, () => {
  it('gives one entry per field, with nested paths, and names unknown fields', async () => {
    const { errors } = await validateForm(Outer, {
      _csrf: 'token',
      name: 3,
      inner: { count: 'x' },
      extra: 1,
    });
    expect(errors).toEqual({
      name: ['name must be text'],
      'inner.count': ['count must be a whole number'],
      extra: ['extra is not a known property'],
    });
  });

  it('refuses a nested key named constructor, which class-transformer would call, rather than throwing', async () => {
    const { errors } = await validateForm(Outer, { name: 'ok', inner: { constructor: 'x', count: 2 } });
    expect(errors).toEqual({ inner: ['A field name must not be constructor'] });
  });

  it('passes a valid form, ignoring the CSRF token', async () => {
    const { value, errors } = await validateForm(Outer, { _csrf: 'token', name: 'ok', inner: { count: 2 } });
    expect(errors).toBeNull();
    expect(value.name).toBe('ok');
  });
});

describe('validation messages', () => {
  it('puts the most basic message first for a missing name, so the form shows it', async () => {
    const { CreateUserDto } = await import('src/users/dto/user.dto');
    const { errors } = await validateForm(CreateUserDto, { email: 'a@example.org', roles: ['trainee'] });
    expect(errors?.name?.[0]).toBe('Enter a name');
  });
});

describe('validation messages for roles', () => {
  it('asks for a role first when none is given', async () => {
    const { CreateUserDto } = await import('src/users/dto/user.dto');
    const { errors } = await validateForm(CreateUserDto, { email: 'a@example.org', name: 'A' });
    expect(errors?.roles?.[0]).toBe('Choose at least one role');
  });
});
