import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Migrates one template database per run; every test file's app starts on a copy of it.
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each file builds its own app on its own database, so files may run side by side (vitest
    // uses one worker per core but one; on a 2-core machine that is one file at a time).
    fileParallelism: true,
    // A test that asserts nothing fails: it would pass whatever the code does.
    expect: { requireAssertions: true },
  },
});
