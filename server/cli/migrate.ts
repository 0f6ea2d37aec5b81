import { migrateToLatest } from '../db/migrate.js';
import { runCommand } from './run.js';

// npm run migrate: applies the migrations not yet applied and says which.
runCommand(
  async (database) => {
    const results = await migrateToLatest(database.db);
    if (results.length === 0) console.log('The database is up to date; nothing to apply.');
    for (const result of results) console.log(`Applied ${result.migrationName}`);
  },
  { migrateFirst: false, secrets: false },
);
