import { updateRole } from '../accounts/queries.js';
import { appendLog } from '../moderation/queries.js';
import { ROLES, type Role } from '../db/schema.js';
import { CommandError, runCommand } from './run.js';

const USAGE = `Usage: npm run user -- role <username> <${ROLES.join('|')}>`;

const [action, username, role] = process.argv.slice(2);

// Roles need no secrets: the command runs with DATABASE_URL alone.
runCommand(
  async (database) => {
    if (action !== 'role' || !username || !role) throw new CommandError(USAGE);
    if (!ROLES.includes(role as Role)) {
      throw new CommandError(`"${role}" is not a role. Roles: ${ROLES.join(', ')}.\n${USAGE}`);
    }
    const updated = await database.db.transaction().execute(async (trx) => {
      if (!(await updateRole(trx, username, role as Role))) return false;
      await appendLog(trx, {
        moderator: 'command line',
        action: 'role',
        member: username,
        detail: role,
        reason: 'set with npm run user',
      });
      return true;
    });
    if (!updated) throw new CommandError(`There is no member called "${username}".`);
    console.log(`${username} is now ${role === 'admin' ? 'an' : 'a'} ${role}.`);
  },
  { secrets: false },
);
