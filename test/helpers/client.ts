import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

/**
 * A browser-like client over Fastify's inject: keeps cookies between requests and reads the
 * CSRF token from the last page it saw, so tests submit forms the way a member would.
 */
export class TestClient {
  readonly cookies = new Map<string, string>();
  csrfToken: string | undefined;

  constructor(private readonly app: FastifyInstance) {}

  async get(url: string, headers: Record<string, string> = {}) {
    const response = await this.app.inject({
      method: 'GET',
      url,
      headers: { ...this.cookieHeader(), ...headers },
    });
    return this.remember(response);
  }

  /** Posts a form. The CSRF token from the last page is added unless `_csrf` is given (or null). */
  async post(
    url: string,
    form: Record<string, string | null> = {},
    headers: Record<string, string> = {},
  ) {
    const fields: Record<string, string> = {};
    if (form._csrf !== null && this.csrfToken) fields._csrf = form._csrf ?? this.csrfToken;
    for (const [key, value] of Object.entries(form)) if (value !== null) fields[key] = value;
    const response = await this.app.inject({
      method: 'POST',
      url,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...this.cookieHeader(),
        ...headers,
      },
      payload: new URLSearchParams(fields).toString(),
    });
    return this.remember(response);
  }

  /** Opens `page` to pick up a fresh CSRF token, then posts the form. */
  async submit(page: string, url: string, form: Record<string, string | null>) {
    await this.get(page);
    return this.post(url, form);
  }

  private cookieHeader(): Record<string, string> {
    if (this.cookies.size === 0) return {};
    return { cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ') };
  }

  private remember(response: LightMyRequestResponse) {
    for (const cookie of response.cookies as Array<{
      name: string;
      value: string;
      expires?: Date;
      maxAge?: number;
    }>) {
      const expired =
        cookie.value === '' ||
        (cookie.expires && cookie.expires.getTime() < Date.now()) ||
        cookie.maxAge === 0;
      if (expired) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(response.body)?.[1];
    if (token) this.csrfToken = token;
    return response;
  }
}

export async function registerMember(
  client: TestClient,
  username: string,
  password = 'correct horse battery',
) {
  const response = await client.submit('/register', '/register', { username, password });
  if (response.statusCode !== 303)
    throw new Error(`registration of ${username} failed: ${response.statusCode}`);
  return response;
}
