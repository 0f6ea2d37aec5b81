import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build, root } from '../scripts/build.mjs';

// Issue 12: production runs the compiled JavaScript, with no TypeScript loader. The build is made
// here into a folder of its own inside the project (to find node_modules), then started as the
// Docker image starts it, and used: a page, a registration and a story formatted by the
// Markdown worker.

const outDir = path.join(root, `.build-test-${process.pid}`);
const dataDir = mkdtempSync(path.join(tmpdir(), 'partner-stories-build-'));
let child: ChildProcessWithoutNullStreams | undefined;

afterAll(() => {
  child?.kill('SIGKILL');
  rmSync(outDir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

async function startCompiled(): Promise<string> {
  const { DATABASE_URL: _url, ...env } = process.env;
  child = spawn(process.execPath, [path.join(outDir, 'server', 'main.js')], {
    cwd: root,
    env: { ...env, NODE_ENV: 'test', LOG_LEVEL: 'info', PORT: '0', DATA_DIR: dataDir },
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return new Promise((resolve, reject) => {
    child!.on('exit', () => reject(new Error(`the build exited: ${output}`)));
    child!.stdout.on('data', () => {
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) resolve(match[1]!);
    });
  });
}

/** A browser's part: cookies kept, and the form's CSRF token read from the page. */
function browser(base: string) {
  const cookies = new Map<string, string>();
  let token = '';
  const remember = async (response: Response) => {
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const [name, value] = pair!.split('=');
      cookies.set(name!, value!);
    }
    const body = await response.text();
    token = /name="_csrf" value="([^"]+)"/.exec(body)?.[1] ?? token;
    return { status: response.status, location: response.headers.get('location'), body };
  };
  const headers = () => ({ cookie: [...cookies].map(([n, v]) => `${n}=${v}`).join('; ') });
  return {
    get: async (url: string) => remember(await fetch(base + url, { headers: headers() })),
    post: async (url: string, form: Record<string, string>) =>
      remember(
        await fetch(base + url, {
          method: 'POST',
          redirect: 'manual',
          headers: {
            ...headers(),
            'content-type': 'application/x-www-form-urlencoded',
            origin: base,
          },
          body: new URLSearchParams({ _csrf: token, ...form }),
        }),
      ),
  };
}

describe('the compiled forum', () => {
  it('builds, starts without a TypeScript loader, and serves, registers and formats', async () => {
    build(outDir);
    const base = await startCompiled();
    const member = browser(base);
    const home = await member.get('/');
    expect(home.status).toBe(200);
    expect(home.body).toContain('Partner Stories');

    await member.get('/register');
    const registered = await member.post('/register', {
      username: 'compiled',
      password: 'correct horse battery',
    });
    expect(registered.status).toBe(303);
    await member.get('/threads/new');
    const posted = await member.post('/threads', {
      title: 'Told through the build',
      body: 'It was **bold** of them.',
      vendors: 'Globex',
      sentiment: 'bad',
    });
    expect(posted.status).toBe(303);
    const story = await member.get(posted.location!);
    expect(story.body).toContain('<strong>bold</strong>');
  }, 240_000);
});
