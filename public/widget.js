// Website widget loader: <script src="https://host/widget.js" data-lang="zh" async></script>
// Adds a chat launcher to any page. The launcher lives in a shadow root (no CSS leaks either way);
// the chat itself is an iframe from our origin, created on the first interaction, so a page that
// never opens the chat pays only for this small file. Options come from data-* attributes:
//   data-lang="zh|en"            language (default: the page's <html lang>, then the browser's)
//   data-position="right|left"   corner (default right)
//   data-color="#0f766e"         brand colour of the launcher
//   data-offset="20"             distance from the corner in px (never below 20)
//   data-z-index="2147483000"    stacking order, for pages whose dialogs must stay on top
//   data-hide-launcher="true"    no launcher: open with window.KefuWidget.open() or data-launcher
//   data-launcher="#help-button" a host element that opens the chat
//   data-open="true"             open at once
(() => {
  const script = document.currentScript;
  if (!script || window.KefuWidget) return;
  const origin = new URL(script.src, location.href).origin;
  const data = script.dataset;
  // Read when needed: the host page may set its language after this script ran.
  const currentLang = () => ((data.lang || document.documentElement.lang || navigator.language || 'zh').toLowerCase().startsWith('en') ? 'en' : 'zh');
  const side = data.position === 'left' ? 'left' : 'right';
  const offset = Math.max(20, Number(data.offset) || 20);
  const color = /^#[0-9a-f]{3,8}$/i.test(data.color || '') ? data.color : '#0f766e';
  const zIndex = Number(data.zIndex) || 2147483000;
  const TEXTS = {
    zh: { open: '打开在线客服', close: '关闭在线客服', unread: '条未读', title: '在线客服' },
    en: { open: 'Open chat with us', close: 'Close chat', unread: 'unread', title: 'Customer service' },
  };
  const text = () => TEXTS[currentLang()];

  const host = document.createElement('div');
  host.setAttribute('data-kefu-widget', '');
  const root = host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  // !important: for the shadow host itself, the page's normal rules beat ours, and only our
  // important ones beat the page's (even its !important ones). Without it, a page rule such as
  // "body > * { transform: … }" or "display: none" would reach the launcher through its host.
  style.textContent = `
    :host { all: initial !important; }
    * { box-sizing: border-box; }
    .launcher { position: fixed; ${side}: ${offset}px; bottom: ${offset}px; z-index: ${zIndex};
      width: 60px; height: 60px; border-radius: 50%; border: 0; cursor: pointer; padding: 0;
      background: ${color}; color: #fff; box-shadow: 0 6px 20px rgba(0,0,0,.22);
      display: flex; align-items: center; justify-content: center; transition: transform .15s ease; }
    .launcher:hover { transform: scale(1.05); }
    .launcher:focus-visible { outline: 3px solid #1f2937; outline-offset: 3px; }
    .launcher svg { width: 28px; height: 28px; fill: currentColor; }
    .badge { position: absolute; top: -4px; ${side === 'right' ? 'right' : 'left'}: -4px; min-width: 22px; height: 22px;
      padding: 0 6px; border-radius: 11px; background: #dc2626; color: #fff; font: 600 12px/22px system-ui, sans-serif;
      text-align: center; }
    .panel { position: fixed; ${side}: ${offset}px; bottom: ${offset + 84}px; z-index: ${zIndex};
      width: 400px; height: min(640px, calc(100% - ${offset + 104}px)); min-height: 250px; border-radius: 16px;
      overflow: hidden; background: #fff; box-shadow: 0 12px 40px rgba(0,0,0,.25); }
    .panel[hidden], .launcher[hidden], .badge[hidden] { display: none; }
    iframe { width: 100%; height: 100%; border: 0; display: block; }
    @media (max-width: 666px) {
      .panel { inset: 0; width: 100%; height: 100dvh; min-height: 0; border-radius: 0; }
    }
    @media (prefers-reduced-motion: reduce) { .launcher { transition: none; } }
  `;
  const ICON_CHAT = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"/></svg>';
  const ICON_CLOSE = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M18.3 5.7 12 12l6.3 6.3-1.4 1.4L10.6 13.4 4.3 19.7 2.9 18.3 9.2 12 2.9 5.7 4.3 4.3l6.3 6.3 6.3-6.3z"/></svg>';

  const launcher = document.createElement('button');
  launcher.type = 'button';
  launcher.className = 'launcher';
  launcher.setAttribute('aria-controls', 'kefu-panel');
  launcher.setAttribute('aria-expanded', 'false');
  launcher.setAttribute('data-testid', 'widget-launcher');
  const badge = document.createElement('span');
  badge.className = 'badge';
  badge.hidden = true;
  badge.setAttribute('data-testid', 'widget-badge');
  const panel = document.createElement('div');
  panel.className = 'panel';
  panel.id = 'kefu-panel';
  panel.hidden = true;
  panel.setAttribute('role', 'dialog');
  panel.setAttribute('aria-label', text().title);
  root.append(style, panel, launcher);

  let frame = null;
  let open = false;
  let unread = 0;
  const mobile = window.matchMedia('(max-width: 666px)');
  let savedOverflow = '';

  function renderLauncher() {
    launcher.innerHTML = open ? ICON_CLOSE : ICON_CHAT;
    launcher.append(badge);
    badge.hidden = open || unread === 0;
    badge.textContent = unread > 99 ? '99+' : String(unread);
    launcher.setAttribute('aria-expanded', String(open));
    const labels = text();
    launcher.setAttribute('aria-label', open ? labels.close : unread > 0 ? `${labels.open}，${unread} ${labels.unread}` : labels.open);
    launcher.hidden = data.hideLauncher === 'true' || (open && mobile.matches);
  }

  function ensureFrame() {
    if (frame) return frame;
    frame = document.createElement('iframe');
    frame.title = text().title;
    panel.setAttribute('aria-label', text().title);
    frame.src = `${origin}/embed.html?lang=${currentLang()}`;
    frame.setAttribute('data-testid', 'widget-frame');
    frame.allow = 'clipboard-write';
    panel.append(frame);
    return frame;
  }

  const post = (message) => frame?.contentWindow?.postMessage(message, origin);

  function setOpen(next) {
    if (next === open) return;
    open = next;
    ensureFrame();
    panel.hidden = !open;
    // Full screen on a phone, the panel is modal; on a desktop the page stays usable beside it.
    panel.setAttribute('aria-modal', String(open && mobile.matches));
    if (open) {
      unread = 0;
      if (mobile.matches) {
        savedOverflow = document.documentElement.style.overflow;
        document.documentElement.style.overflow = 'hidden';
      }
      post({ type: 'kefu:visibility', open: true, focus: !mobile.matches });
    } else {
      document.documentElement.style.overflow = savedOverflow;
      post({ type: 'kefu:visibility', open: false });
      launcher.focus({ preventScroll: true });
    }
    renderLauncher();
  }

  window.addEventListener('message', (event) => {
    if (event.origin !== origin || event.source !== frame?.contentWindow) return;
    const message = event.data || {};
    if (message.type === 'kefu:close') setOpen(false);
    if (message.type === 'kefu:ready') post({ type: 'kefu:visibility', open, focus: open && !mobile.matches });
    if (message.type === 'kefu:unread' && !open) {
      unread += Math.max(0, Number(message.count) || 0);
      renderLauncher();
    }
  });

  launcher.addEventListener('click', () => setOpen(!open));
  // Start loading the chat as soon as the visitor shows interest, so the first open is instant.
  launcher.addEventListener('pointerenter', ensureFrame, { once: true });
  launcher.addEventListener('focus', ensureFrame, { once: true });
  if (data.launcher) {
    document.addEventListener('click', (event) => {
      if (event.target instanceof Element && event.target.closest(data.launcher)) setOpen(true);
    });
  }

  renderLauncher();
  const mount = () => {
    document.body.append(host);
    if (data.open === 'true') setOpen(true);
  };
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount, { once: true });

  window.KefuWidget = { open: () => setOpen(true), close: () => setOpen(false), toggle: () => setOpen(!open) };
})();
