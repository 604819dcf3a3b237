// The demo store page: only its own labels; the chat comes from /widget.js like on any site.
import { initI18n } from './common/i18n.js';
import { CHAT_STRINGS } from './chat/strings.js';

initI18n(CHAT_STRINGS);
