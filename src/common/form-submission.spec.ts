import { formErrors } from 'src/common/form-submission';
import { forbidden, notFound, refuse } from 'src/common/refusal';
import { ValidationFailedException } from 'src/common/validation';

describe(formErrors.name, () => {
  const form = { fields: ['title', 'capacity', 'venue'] };

  it('puts a refusal beside the field it names, and one about no field of the form beside the first', () => {
    expect(formErrors(refuse('VENUE_CLASH', 'Room 4 is booked', { field: 'venue' }), form)).toEqual({
      venue: ['Room 4 is booked'],
    });
    expect(formErrors(refuse('COHORT_NOT_EDITABLE', 'A completed cohort cannot be changed'), form)).toEqual({
      title: ['A completed cohort cannot be changed'],
    });
    expect(formErrors(refuse('ALREADY_ENROLLED', 'Already here', { field: 'traineeId' }), form)).toEqual({
      title: ['Already here'],
    });
  });

  it('orders refused fields as the form does, naming them as the form names them', () => {
    const refused = new ValidationFailedException({
      venue: ['Too long'],
      startsAt: ['Not a date'],
      capacity: ['Too few'],
    });
    const toFormFields = (errors: Record<string, string[]>) =>
      Object.fromEntries(
        Object.entries(errors).map(([key, messages]) => [key === 'startsAt' ? 'title' : key, messages]),
      );
    expect(Object.entries(formErrors(refused, { ...form, toFormFields }) ?? {})).toEqual([
      ['title', ['Not a date']],
      ['capacity', ['Too few']],
      ['venue', ['Too long']],
    ]);
  });

  it('leaves sign-in, forbidden, not found and our own faults to their pages', () => {
    expect(formErrors(forbidden(), form)).toBeNull();
    expect(formErrors(notFound('The cohort'), form)).toBeNull();
    expect(formErrors(refuse('SIGN_IN_REQUIRED', 'Sign in'), form)).toBeNull();
    expect(formErrors(new Error('boom'), form)).toBeNull();
  });
});
