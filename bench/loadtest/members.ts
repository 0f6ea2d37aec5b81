import type { Answer, Client } from './http.js';

/** A registered member as a browser holds it: cookies and a CSRF token for its forms. */
export interface Member {
  index: number;
  username: string;
  cookie: string;
  csrf: string;
}

export const PASSWORD = 'load test password, not secret';

/** A cookie jar of one browser: the latest value of each cookie set. */
class Jar {
  private readonly cookies = new Map<string, string>();

  keep(answer: Answer) {
    for (const line of answer.setCookies) {
      const pair = line.split(';')[0]!;
      const at = pair.indexOf('=');
      this.cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
  }

  header() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

function csrfToken(answer: Answer, page: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(answer.body)?.[1];
  if (!token) throw new Error(`No CSRF token on ${page} (status ${answer.status})`);
  return token;
}

/** Registers through the forms, as a browser would. */
async function register(client: Client, index: number, username: string): Promise<Member> {
  const jar = new Jar();
  const form = await client.send({ method: 'GET', path: '/register', keepBody: true });
  jar.keep(form);
  const registered = await client.send({
    method: 'POST',
    path: '/register',
    cookie: jar.header(),
    form: { _csrf: csrfToken(form, '/register'), username, password: PASSWORD },
  });
  if (registered.status !== 303)
    throw new Error(`Registering ${username} answered ${registered.status}`);
  jar.keep(registered);
  // The token minted with the session's CSRF secret serves every form of this member.
  const page = await client.send({
    method: 'GET',
    path: '/threads/new',
    cookie: jar.header(),
    keepBody: true,
  });
  jar.keep(page);
  return { index, username, cookie: jar.header(), csrf: csrfToken(page, '/threads/new') };
}

/**
 * Registers `count` members, a few at a time: each costs an argon2 hash on the server, so this
 * happens once, before the clock starts, and the connections share the members.
 */
export async function registerMembers(client: Client, prefix: string, count: number) {
  const members: Member[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const username = `${prefix}_${String(index).padStart(3, '0')}`;
      members[index] = await register(client, index, username);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return members;
}
