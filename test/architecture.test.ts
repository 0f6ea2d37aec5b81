import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cruise, type ICruiseResult, type IForbiddenRuleType } from 'dependency-cruiser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The dependency rule of docs/architecture.md, as `npm run lint` checks it: the real tree keeps
// it, and a tree that breaks it, one rule at a time, fails.
const require = createRequire(import.meta.url);
const rules = require('../.dependency-cruiser.cjs') as {
  forbidden: IForbiddenRuleType[];
  options: Record<string, unknown>;
};
const root = path.resolve(import.meta.dirname, '..');

async function violations(baseDir: string, targets: string[]) {
  const result = await cruise(targets, {
    baseDir,
    validate: true,
    ruleSet: { forbidden: rules.forbidden },
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs'] },
  });
  const output = result.output as ICruiseResult;
  return output.summary.violations.map((violation) => violation.rule.name);
}

describe('the dependency rule', () => {
  it('holds on the tree as it is', async () => {
    expect(await violations(root, ['server', 'migrations'])).toEqual([]);
  });

  describe('fails a tree that breaks it', () => {
    let fixture: string;
    const write = async (file: string, source: string) => {
      await mkdir(path.dirname(path.join(fixture, file)), { recursive: true });
      await writeFile(path.join(fixture, file), source);
    };
    beforeAll(async () => {
      fixture = await mkdtemp(path.join(tmpdir(), 'partner-stories-architecture-'));
      await write('package.json', '{"type":"module"}');
      // Two features that import each other, through files that do not form a file cycle.
      await write(
        'server/threads/list.ts',
        "import { a } from '../votes/count.js'; export const b = a;",
      );
      await write('server/votes/count.ts', 'export const a = 1;');
      await write(
        'server/votes/rank.ts',
        "import { b } from '../threads/list.js'; export const c = b;",
      );
      // Infrastructure that knows a feature, and a feature that reaches into another's routes.
      await write(
        'server/plugins/views.ts',
        "import { a } from '../votes/count.js'; export const v = a;",
      );
      await write('server/votes/routes.ts', 'export const routes = 1;');
      await write(
        'server/home/page.ts',
        "import { routes } from '../votes/routes.js'; export const p = routes;",
      );
      // A migration that imports the application.
      await write(
        'migrations/0001_x.ts',
        "import { a } from '../server/votes/count.js'; export const up = a;",
      );
    });
    afterAll(async () => {
      await rm(fixture, { recursive: true, force: true });
    });

    it('names every rule it breaks', async () => {
      const broken = new Set(await violations(fixture, ['server', 'migrations']));
      expect([...broken].sort()).toEqual([
        'infrastructure-imports-no-feature',
        'migrations-stand-alone',
        'no-cross-folder-routes',
        'no-folder-cycles',
      ]);
    });
  });
});
