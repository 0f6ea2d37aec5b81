// Small enhancements only: every page works without this script.
'use strict';

/** A vote button's accessible name, as threads/vote.eta writes it. */
const voteLabel = (label, pressed) =>
  pressed ? `${label} (your vote; press to take it back)` : label;

// Votes: send the vote in the background and update the score in place, instead of reloading.
document.addEventListener('submit', async (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.classList.contains('vote-form')) return;
  const button = event.submitter;
  if (!button || !button.value) return;
  event.preventDefault();
  const body = new URLSearchParams(new FormData(form, button));
  try {
    const response = await fetch(form.action, {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
      body,
      credentials: 'same-origin',
    });
    if (!response.ok) throw new Error(String(response.status));
    const { score, vote } = await response.json();
    form.querySelector('[data-vote-score]').textContent = String(score);
    form.querySelector('.vote-score small').textContent =
      Math.abs(score) === 1 ? 'point' : 'points';
    const up = form.querySelector('.vote-up');
    const down = form.querySelector('.vote-down');
    up.value = vote === 1 ? 'none' : 'up';
    down.value = vote === -1 ? 'none' : 'down';
    up.setAttribute('aria-pressed', String(vote === 1));
    down.setAttribute('aria-pressed', String(vote === -1));
    up.setAttribute('aria-label', voteLabel('Vote up', vote === 1));
    down.setAttribute('aria-label', voteLabel('Vote down', vote === -1));
    // One live region for the page's scores (threads/show.eta), rather than one per post.
    const status = document.getElementById('vote-status');
    if (status) status.textContent = `${score} ${Math.abs(score) === 1 ? 'point' : 'points'}`;
  } catch {
    form.submit(); // fall back to the ordinary form post, which shows any error page
  }
});
