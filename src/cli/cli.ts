import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { runWithApp } from 'src/cli/cli-context';
import { validateForm } from 'src/common/validation';
import { CreateUserDto } from 'src/users/dto/user.dto';
import { UsersService } from 'src/users/users.service';

const USAGE = `Usage:
  npm run cli -- user:create --email E --name N --roles admin[,training_lead,...] [--password P]
                             [--organisation ORGANISATION_ID] [--profession PROFESSION]

Without --password the person is invited: the invitation link is printed (and e-mailed by the worker).`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

const [command, ...rest] = process.argv.slice(2);
if (command !== 'user:create') fail(command ? `Unknown command ${command}` : 'Name a command');

const { values } = (() => {
  try {
    return parseArgs({
      args: rest,
      options: {
        email: { type: 'string' },
        name: { type: 'string' },
        roles: { type: 'string' },
        password: { type: 'string' },
        organisation: { type: 'string' },
        profession: { type: 'string' },
      },
      strict: true,
    });
  } catch (error) {
    return fail((error as Error).message);
  }
})();

runWithApp(async (app) => {
  const { value, errors } = await validateForm(CreateUserDto, {
    email: values.email,
    name: values.name,
    roles: values.roles
      ?.split(',')
      .map((role) => role.trim())
      .filter(Boolean),
    organisationId: values.organisation,
    profession: values.profession,
  });
  if (errors)
    fail(
      Object.values(errors)
        .map((messages) => messages[0])
        .join('\n'),
    );
  if (values.password !== undefined && values.password.length < 12)
    fail('--password must be at least 12 characters');
  const users = app.get(UsersService);
  const { user } = await users.create(null, value, values.password);
  process.stdout.write(
    `Created ${user.name} <${user.email}> with roles ${user.roles.join(', ')} (id ${user.id}).\n`,
  );
  // The invitation e-mail has a link of its own; this one is for whoever runs the command to pass on.
  const invitationUrl = await users.invitationLinkIfInvited(user.id);
  if (invitationUrl)
    process.stdout.write(`Invitation link (valid for 7 days, single use):\n${invitationUrl}\n`);
});
