import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { TestClient, registerMember } from './helpers/client.js';
import { postReply, postStory } from './helpers/content.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

describe('reporting a post twice', () => {
  it('says "you reported this already" before the form is filled in, for stories and replies', async () => {
    const writer = new TestClient(t.app);
    await registerMember(writer, 'report-once-writer');
    const story = await postStory(writer, { vendors: 'Report Once Vendor' });
    const reply = await postReply(writer, story, 'A reply worth reporting.');
    const reader = new TestClient(t.app);
    await registerMember(reader, 'report-once-reader');
    for (const [index, path] of [`/threads/${story}`, `/replies/${reply}`].entries()) {
      const form = await reader.get(`${path}/report`);
      expect(form.body).toContain('name="reason"');
      const sent = await reader.post(`${path}/report`, { reason: 'spam' });
      expect(sent.statusCode).toBe(200);
      const again = await reader.get(`${path}/report`);
      expect(again.statusCode).toBe(200);
      expect(again.body).toContain('You reported this post already.');
      expect(again.body).not.toContain('name="reason"');
      expect(again.body).toContain(`href="${path}"`);
      // Another member still gets the form.
      const other = new TestClient(t.app);
      await registerMember(other, `report-once-other-${index}`);
      expect((await other.get(`${path}/report`)).body).toContain('name="reason"');
    }
  });
});
