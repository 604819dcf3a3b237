// The 转接 dialog: pick another skill group and write the required note (kept as an internal
// note, never shown to the customer).
import { $, h } from '../common/dom.js';
import { tx, getLang } from '../common/i18n.js';

const nameOf = (group) => group.name?.[getLang()] ?? group.name?.zh ?? group.id;

/**
 * @param {{ groups: () => object[], onSubmit: (group: string, note: string) => Promise<boolean> }} options
 */
export function createTransferDialog({ groups, onSubmit }) {
  const dialog = $('#transfer-dialog');
  const select = $('#transfer-group');
  const note = $('#transfer-note');
  const error = $('#transfer-error');

  $('#transfer-cancel').addEventListener('click', () => dialog.close());
  $('#transfer-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!note.value.trim()) {
      tx(error, 'transfer.noteRequired');
      note.focus();
      return;
    }
    if (await onSubmit(select.value, note.value.trim())) dialog.close();
  });

  return {
    open(currentGroup) {
      select.replaceChildren(...groups().filter((group) => group.id !== currentGroup)
        .map((group) => h('option', { attrs: { value: group.id }, text: nameOf(group) })));
      note.value = '';
      error.textContent = '';
      dialog.showModal();
      note.focus();
    },
    showError(key) { tx(error, key); },
  };
}
