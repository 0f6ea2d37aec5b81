// A member for the bench, made the way a browser makes one: through the forum's own /register
// form, keeping the cookies it sets and a CSRF token from a page the member loaded.

export interface Member {
  username: string;
  /** The Cookie header of the member's browser: the session and the CSRF secret. */
  cookie: string;
  /** The `_csrf` field of the forms on the member's pages. */
  csrf: string;
}

const PASSWORD = 'bench password, not a secret';

/** The cookies of one browser: the latest value of each one set. */
class CookieJar {
  private readonly cookies = new Map<string, string>();

  keep(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(';')[0]!;
      const at = pair.indexOf('=');
      this.cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
  }

  header() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

async function load(url: string, jar: CookieJar, init: RequestInit = {}) {
  const response = await fetch(url, {
    ...init,
    redirect: 'manual', // the cookies of the answer itself are the ones to keep
    headers: { ...init.headers, cookie: jar.header() },
  });
  jar.keep(response);
  return { status: response.status, html: await response.text() };
}

function csrfToken(html: string, page: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error(`No CSRF token on ${page}`);
  return token;
}

/**
 * Registers a new member (a new name each run) and loads `memberPage` as that member, whose
 * form gives the CSRF token; checks that the page greets the member, so that the member's
 * figures are not a visitor's.
 */
export async function registerMember(forumUrl: string, memberPage: string): Promise<Member> {
  const jar = new CookieJar();
  const username = `bench_${Date.now().toString(36)}`;
  const form = await load(`${forumUrl}/register`, jar);
  const registered = await load(`${forumUrl}/register`, jar, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      _csrf: csrfToken(form.html, '/register'),
      username,
      password: PASSWORD,
    }),
  });
  if (registered.status !== 303)
    throw new Error(`Registering ${username} answered ${registered.status}`);
  const page = await load(forumUrl + memberPage, jar);
  if (page.status !== 200 || !page.html.includes(username))
    throw new Error(`${memberPage} answered ${page.status} without the member's name on it`);
  return { username, cookie: jar.header(), csrf: csrfToken(page.html, memberPage) };
}
