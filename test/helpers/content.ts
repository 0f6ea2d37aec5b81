import { expect } from 'vitest';
import type { TestClient } from './client.js';

export interface StoryFields {
  title?: string;
  body?: string;
  vendors?: string;
  sentiment?: string;
  tier?: string;
  anonymous?: boolean;
  [field: string]: string | boolean | undefined;
}

let stories = 0;

/**
 * Posts a story through the form, as a member would, and returns its id. Default titles are
 * numbered: the same member posting the same title and body within a minute is a double submit.
 */
export async function postStory(client: TestClient, fields: StoryFields = {}): Promise<number> {
  const { anonymous, ...rest } = fields;
  const form: Record<string, string> = {
    title: `No call back on a big deal (${++stories})`,
    body: 'We registered the deal and nobody called back for **three weeks**.',
    vendors: 'Acme Networks',
    sentiment: 'bad',
    action: 'post',
  };
  for (const [key, value] of Object.entries(rest)) if (typeof value === 'string') form[key] = value;
  if (anonymous) form.anonymous = 'on';
  await client.get('/threads/new');
  const response = await client.post('/threads', form);
  expect(response.statusCode, response.body.slice(0, 2000)).toBe(303);
  return Number(/^\/threads\/(\d+)\//.exec(String(response.headers.location))![1]);
}

/** Posts a reply through the form and returns its id. */
export async function postReply(
  client: TestClient,
  threadId: number,
  body: string,
  anonymous = false,
) {
  await client.get(`/threads/${threadId}`);
  const response = await client.post(`/threads/${threadId}/replies`, {
    body,
    ...(anonymous ? { anonymous: 'on' } : {}),
  });
  expect(response.statusCode, response.body.slice(0, 2000)).toBe(303);
  return Number(/#reply-(\d+)$/.exec(String(response.headers.location))![1]);
}

/** Marks notices read through the page's own form, with the hidden fields it carries. */
export async function markNoticesRead(client: TestClient) {
  const page = await client.get('/notifications');
  const form = /<form method="post" action="\/notifications\/read"[\s\S]*?<\/form>/.exec(page.body);
  const fields: Record<string, string> = {};
  for (const match of (form?.[0] ?? '').matchAll(/name="([a-z_]+)" value="([^"]*)"/g))
    if (match[1] !== '_csrf') fields[match[1]!] = match[2]!;
  return client.post('/notifications/read', fields);
}
