import { erasedEmail, isErasedAddress } from 'src/users/erased-account';

describe(isErasedAddress.name, () => {
  it('knows an erased account’s address, and no other', () => {
    expect(isErasedAddress(erasedEmail('0b7c8a8e-2f7c-4d7e-9d1a-1d2b3c4d5e6f'))).toBe(true);
    expect(isErasedAddress('erased-someone@erased.invalid')).toBe(false);
    expect(isErasedAddress('person@example.org')).toBe(false);
  });
});
