import { headerText, MailTemplates } from 'src/notifications/mail-templates';

describe(MailTemplates.name, () => {
  it('makes a subject one line, whatever line breaks the text put in it carries', () => {
    const { subject } = new MailTemplates().render('enrolment-confirmed', {
      name: 'Ann',
      cohortTitle: 'Foundation\r\nBcc: x@evil.test\u2028X-Other: y',
      appUrl: 'http://localhost:3000',
      invitationLink: null,
    });
    expect(subject).toBe('Your place on Foundation Bcc: x@evil.test X-Other: y is confirmed');
  });
});

describe(headerText.name, () => {
  it.each([
    ['a\r\nb', 'a b'],
    ['a\rb\nc', 'a b c'],
    ['a\u0085b\u2029c', 'a b c'],
    ['  a \t\u0000 b  ', 'a b'],
    ['Séance 👪', 'Séance 👪'],
  ])('makes %j one line: %j', (text, line) => {
    expect(headerText(text)).toBe(line);
  });
});
