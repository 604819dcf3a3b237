// 满意度评价: after an agent resolves the conversation, a card with five choices
// (非常不满意 … 非常满意) and an optional comment, posted once to
// POST /api/v1/conversations/:id/rating. It sits above 开始新会话, so the ended conversation
// never becomes a dead end.
import { h } from '../common/dom.js';
import { tx } from '../common/i18n.js';

const SCORES = [1, 2, 3, 4, 5];

/**
 * @param {HTMLElement} ended  the area shown instead of the composer once the conversation ended
 * @param {{ rate: (score: number, comment: string) => Promise<void> }} options
 */
export function createRatingCard(ended, { rate }) {
  let score = 0;
  const status = h('p', { class: 'rating-status', attrs: { role: 'status' } });
  const comment = h('textarea', { class: 'rating-comment', attrs: { rows: '2', maxlength: '1000', 'data-testid': 'rating-comment', 'aria-labelledby': 'rating-comment-label' } });
  const submit = tx(h('button', { class: 'btn btn-primary btn-small', attrs: { type: 'submit', 'data-testid': 'rating-submit', disabled: true } }), 'chat.rating.submit');
  const options = SCORES.map((value) => tx(h('button', {
    class: 'rating-option',
    attrs: { type: 'button', 'aria-pressed': 'false', 'data-score': value, 'data-testid': `rating-${value}` },
    on: { click: () => choose(value) },
  }), `chat.rating.${value}`));
  const form = h('form', { class: 'rating-card', attrs: { 'data-testid': 'rating-card', 'aria-labelledby': 'rating-title' }, hidden: true },
    tx(h('p', { class: 'rating-title', attrs: { id: 'rating-title' } }), 'chat.rating.title'),
    h('div', { class: 'rating-options', attrs: { role: 'group', 'aria-labelledby': 'rating-title' } }, options),
    tx(h('label', { class: 'rating-label', attrs: { id: 'rating-comment-label' } }), 'chat.rating.comment'),
    comment, h('div', { class: 'rating-actions' }, submit), status);
  ended.prepend(form);

  function choose(value) {
    score = value;
    for (const option of options) option.setAttribute('aria-pressed', String(Number(option.dataset.score) === value));
    submit.disabled = false;
  }

  function thanks() {
    form.replaceChildren(tx(h('p', { class: 'rating-thanks', attrs: { 'data-testid': 'rating-thanks', role: 'status' } }), 'chat.rating.thanks'));
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!score) return;
    submit.disabled = true;
    try {
      await rate(score, comment.value.trim());
      thanks();
    } catch (err) {
      // Rated already (another tab, or a digit reply): the rating is in, so thank them.
      if (err?.status === 409) thanks();
      else {
        tx(status, 'chat.rating.error');
        submit.disabled = false;
      }
    }
  });

  return {
    show() { form.hidden = false; },
    hide() { form.hidden = true; },
  };
}
