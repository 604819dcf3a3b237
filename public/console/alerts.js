// New-chat alerts that do not get missed (UX.md §4.1): a sound even when the tab has focus, a
// title badge "(3) 客服工作台", a favicon dot, and a repeat every 30 s while a chat waits.
// Browsers block audio until a click, so the sound starts off and the 开启提醒音 button (or the
// sign-in click) unlocks it.
import { t, tx } from '../common/i18n.js';

const REPEAT_MS = 30_000;
const STORAGE_KEY = 'kefu.sound';

export function createAlerts({ button, announcer }) {
  let context = null;
  let enabled = false;
  try { enabled = localStorage.getItem(STORAGE_KEY) === 'on'; } catch { /* storage blocked */ }
  let waiting = 0;
  let lastBeep = 0;
  const favicon = document.getElementById('favicon');
  const plainIcon = favicon?.getAttribute('href');

  function render() {
    tx(button, enabled ? 'sound.on' : 'sound.off');
    button.setAttribute('aria-pressed', String(enabled));
  }

  function unlock() {
    if (context) return;
    try {
      const AudioContextClass = window.AudioContext ?? window.webkitAudioContext;
      if (AudioContextClass) context = new AudioContextClass();
    } catch { context = null; }
  }

  function beep() {
    if (!enabled || !context) return;
    // A chat queued and assigned a moment later makes one sound, not two on top of each other.
    if (Date.now() - lastBeep < 500) return;
    lastBeep = Date.now();
    const now = context.currentTime;
    for (const [offset, frequency] of [[0, 880], [0.18, 1175]]) {
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, now + offset);
      gain.gain.exponentialRampToValueAtTime(0.2, now + offset + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, now + offset + 0.16);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(now + offset);
      oscillator.stop(now + offset + 0.18);
    }
  }

  button.addEventListener('click', () => {
    enabled = !enabled;
    try { localStorage.setItem(STORAGE_KEY, enabled ? 'on' : 'off'); } catch { /* storage blocked */ }
    unlock();
    render();
    if (enabled) beep();
  });
  setInterval(() => { if (waiting > 0 && Date.now() - lastBeep >= REPEAT_MS) beep(); }, 5000);
  render();

  return {
    /** Call from a user gesture (sign-in) so the sound may play later. */
    unlock,
    /** A chat entered one of my queues. */
    newChat(groupName) {
      beep();
      announcer.textContent = t('alert.newChat', { group: groupName });
    },
    /** A chat was assigned to me without my accepting it (automatic assignment). */
    assigned(text) {
      beep();
      announcer.textContent = text;
    },
    /** One of my snoozed chats came back on its own: its time is up. */
    snoozeDue(name) {
      beep();
      announcer.textContent = t('alert.snoozeDue', { name });
    },
    /** A customer wrote in one of my chats while I looked elsewhere. */
    newMessage() {
      beep();
    },
    /** Keeps the title badge and favicon dot in step with the number waiting. */
    setWaiting(count) {
      waiting = count;
      document.title = count > 0 ? `(${count}) ${t('doc.title')}` : t('doc.title');
      if (favicon && plainIcon) {
        favicon.setAttribute('href', count > 0
          ? "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E%3Crect width='32' height='32' rx='8' fill='%230f766e'/%3E%3Ccircle cx='25' cy='7' r='7' fill='%23dc2626'/%3E%3C/svg%3E"
          : plainIcon);
      }
    },
    render,
  };
}
