// One chat line as _Message.cshtml renders it, for lines that arrive live (the buyer's page and the agent console).
// side: whose page it is ("buyer" or "agent"); their own lines sit on the right and carry the 已读 mark.
window.shopChatLine = (() => {
  const el = (tag, cls, text) => { const e = document.createElement(tag); if (cls) e.className = cls; if (text != null) e.textContent = text; return e; };
  const render = (m, side, readUpTo, words) => {
    const own = m.author === side || (side === 'agent' && m.author === 'note');
    const line = el('div', 'chat-msg chat-msg-' + m.author + (own && m.author !== 'system' ? ' chat-own' : ''));
    line.dataset.seq = m.seq; line.dataset.author = m.author; line.dataset.testid = 'chat-msg';
    if (m.author === 'system') { line.textContent = m.body; return line; }
    if (!own || m.author === 'note') line.append(el('div', 'chat-msg-name', (m.author === 'buyer' ? words.buyer : m.authorName) + (m.author === 'note' ? ' · ' + words.note : '')));
    if (m.attachmentId) {
      const url = '/Chats/' + m.chatId + '/Images/' + m.attachmentId;
      const a = el('a'); a.href = url; a.target = '_blank'; a.rel = 'noopener';
      const img = el('img', 'chat-img'); img.src = url; img.alt = m.body; img.dataset.testid = 'chat-img';
      a.append(img); line.append(a);
    } else line.append(el('div', 'chat-msg-body', m.body));
    const meta = el('div', 'chat-msg-meta');
    meta.append(el('time', null, new Date(m.at).toTimeString().slice(0, 5)));
    if (own && m.author !== 'note') { const r = el('span', 'chat-read' + (m.seq <= readUpTo ? '' : ' d-none'), words.read); r.dataset.read = ''; meta.append(' ', r); }
    line.append(meta);
    return line;
  };
  /**
   * Puts a line where its number says, once: a line already shown is not added again, and one that overtook another
   * on the wire (two messages committed close together) still lands in order. False when it was already there.
   */
  const insert = (log, line) => {
    const seq = Number(line.dataset.seq);
    if (log.querySelector('[data-seq="' + seq + '"]')) return false;
    const after = [...log.querySelectorAll('[data-seq]')].find(e => Number(e.dataset.seq) > seq);
    log.insertBefore(line, after || null);
    return true;
  };
  /** Shows 已读 on the page owner's lines up to seq. */
  const markRead = (log, seq) => log.querySelectorAll('.chat-own').forEach(m => { if (Number(m.dataset.seq) <= seq) m.querySelector('[data-read]')?.classList.remove('d-none'); });
  return { render, insert, markRead };
})();
