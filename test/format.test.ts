import { describe, expect, it } from 'vitest';
import { excerpt, hourStart, hoursAgo, timeAgo } from '../server/format.js';

const HOUR = 3_600_000;
const hour = new Date('2026-11-24T16:00:00.000Z');

describe('how pages say when', () => {
  it('tells an anonymous post’s time relatively, but never finer than its hour', () => {
    for (let minutes = 0; minutes < 60; minutes += 7)
      expect(hoursAgo(hour, hour.getTime() + minutes * 60_000)).toBe('within the hour');
    expect(hoursAgo(hour, hour.getTime() + HOUR + 30 * 60_000)).toBe('1 hour ago');
    expect(hoursAgo(hour, hour.getTime() + 20 * HOUR)).toBe('20 hours ago');
    expect(hoursAgo(hour, hour.getTime() + 50 * HOUR)).toBe('2 days ago');
    expect(hourStart(new Date('2026-11-24T16:47:12.345Z'))).toEqual(hour);
  });

  it('tells a named post’s time down to the minute, and up to years', () => {
    const at = hour.getTime();
    expect(timeAgo(hour, at + 20_000)).toBe('just now');
    expect(timeAgo(hour, at + 5 * 60_000)).toBe('5 minutes ago');
    expect(timeAgo(hour, at + 40 * 24 * HOUR)).toBe('1 month ago');
    expect(timeAgo(hour, at + 800 * 24 * HOUR)).toBe('2 years ago');
  });
});

describe('excerpts', () => {
  it('keep list items apart and take out the markup', () => {
    expect(
      excerpt(
        '<p>In <strong>short</strong>:</p><ul><li>Customer: a school</li><li>Deal: an upgrade</li></ul>',
      ),
    ).toBe('In short: · Customer: a school · Deal: an upgrade');
    expect(excerpt('<ol><li>First</li><li>Second</li></ol>')).toBe('First · Second');
  });
});
