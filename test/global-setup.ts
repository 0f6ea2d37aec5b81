import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { MEMORY_DATABASE, openDatabase } from '../server/db/index.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { adminQuery, databaseUrl, testServer, uniqueName } from './helpers/database.js';

/**
 * Migrates one database before any test file runs, for createTestDatabase({ migrated: true }) to
 * copy: on PGlite a dump of its data directory in a temporary file, which each copy loads; on
 * PostgreSQL a database named after DATABASE_URL's with "_template_" in it, which each copy
 * names in CREATE DATABASE … TEMPLATE. Only the migrations run on it: the app's own start
 * (ANON_SECRET's fingerprint, the pending upgrade) runs on every copy, as on a new forum.
 * Teardown removes the template.
 */
export default async function setup(project: TestProject) {
  const server = testServer();
  if (server) {
    const name = uniqueName(server.name, 'template_');
    await adminQuery(server.url, `create database "${name}"`);
    try {
      await migrate(databaseUrl(server.url, name));
    } catch (error) {
      await adminQuery(server.url, `drop database if exists "${name}" with (force)`);
      throw error;
    }
    project.provide('migratedTemplate', { kind: 'postgres', database: name });
    return () => adminQuery(server.url, `drop database if exists "${name}" with (force)`);
  }

  const directory = await mkdtemp(path.join(tmpdir(), 'partner-stories-template-'));
  const dumpFile = path.join(directory, 'migrated.tar.gz');
  const database = await openDatabase({ databaseUrl: MEMORY_DATABASE, dataDir: '/nonexistent' });
  try {
    await migrateToLatest(database.db);
    const dump = await database.dumpDataDir!();
    await writeFile(dumpFile, Buffer.from(await dump.arrayBuffer()));
  } finally {
    await database.close();
  }
  project.provide('migratedTemplate', { kind: 'pglite', dumpFile });
  return () => rm(directory, { recursive: true, force: true });
}

async function migrate(url: string) {
  const database = await openDatabase({ databaseUrl: url, dataDir: '/nonexistent' });
  try {
    await database.withoutTimeouts(migrateToLatest);
  } finally {
    await database.close();
  }
}
