// The chat page's side of the widget: when it runs inside the widget's iframe it tells the host
// page about unread messages and Esc, and learns from it when the panel opens or closes.
// Messages carry no customer data, so they can go to any parent origin.

/**
 * @param {{ focusInput: () => void }} hooks
 * @returns {{ embedded: boolean, isOpen: () => boolean, notifyIncoming: () => void }}
 */
export function connectEmbed(hooks) {
  const embedded = window.parent !== window;
  let open = !embedded;
  // Until the visitor has opened the panel once, the greeting is not news.
  let opened = false;
  if (!embedded) return { embedded, isOpen: () => true, notifyIncoming() {} };

  document.documentElement.classList.add('embedded');
  const tellHost = (message) => window.parent.postMessage(message, '*');

  window.addEventListener('message', (event) => {
    if (event.source !== window.parent) return;
    const message = event.data || {};
    if (message.type !== 'kefu:visibility') return;
    open = Boolean(message.open);
    if (open) opened = true;
    if (open && message.focus) hooks.focusInput();
  });
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !event.isComposing) tellHost({ type: 'kefu:close' });
  });
  const close = document.getElementById('widget-close');
  if (close) {
    close.hidden = false;
    close.addEventListener('click', () => tellHost({ type: 'kefu:close' }));
  }
  tellHost({ type: 'kefu:ready' });

  return {
    embedded,
    isOpen: () => open,
    notifyIncoming() {
      if (!open && opened) tellHost({ type: 'kefu:unread', count: 1 });
    },
  };
}
