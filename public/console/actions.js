// The agent's actions on the selected conversation: 接入, 回复 / 内部备注, 转接, 退回机器人, 结束会话.
// Each reports failures in the detail pane; a 401 sends the console back to sign-in.
const isAuthError = (err) => err?.status === 401;

/**
 * @param {{ api: () => object, detail: object, upsert: (handoff: object) => void, changed: () => void,
 *           refreshSelected: () => void, onAuthError: () => void, agentName: (id: string) => string }} ctx
 */
export function createActions(ctx) {
  const { detail } = ctx;

  async function run(work, { conflict } = {}) {
    const id = detail.handoff?.id;
    if (!id) return false;
    detail.setBusy(true);
    detail.clearNotice();
    try {
      const res = await work(id);
      if (res?.handoff) ctx.upsert(res.handoff);
      ctx.changed();
      return true;
    } catch (err) {
      if (isAuthError(err)) ctx.onAuthError();
      else if (err?.status === 409 && conflict) await conflict(err);
      else detail.notice('detail.actionError', undefined, 'error');
      return false;
    } finally {
      detail.setBusy(false);
    }
  }

  return {
    isAuthError,
    accept: () => run((id) => ctx.api().accept(id), {
      // Someone else was faster: say who, and show the conversation as it is now.
      conflict: async (err) => {
        const name = /accepted by (\S+)/.exec(err.message ?? '')?.[1];
        if (name) detail.notice('detail.conflict', { name: ctx.agentName(name) });
        else detail.notice('detail.conflictUnknown');
        ctx.refreshSelected();
      },
    }).then((ok) => { if (ok) detail.composer.focus(); return ok; }),
    resolve: () => run((id) => ctx.api().resolve(id)),
    snooze: (body) => run((id) => ctx.api().snooze(id, body)),
    returnToBot: () => run((id) => ctx.api().returnToBot(id)),
    transfer: (group, note) => run((id) => ctx.api().transfer(id, group, note)),

    /** Resolves true when sent (the box is then cleared). */
    async send(mode, text) {
      const id = detail.handoff?.id;
      try {
        if (mode === 'note') {
          const res = await ctx.api().note(id, text);
          if (res?.note && id === detail.handoff?.id) detail.addNote(res.note);
        } else {
          const res = await ctx.api().reply(id, text);
          if (res?.message && id === detail.handoff?.id) detail.addMessages([res.message]);
        }
        detail.clearNotice();
        return true;
      } catch (err) {
        if (isAuthError(err)) ctx.onAuthError();
        else detail.notice('reply.error', undefined, 'error');
        return false;
      }
    },
  };
}
