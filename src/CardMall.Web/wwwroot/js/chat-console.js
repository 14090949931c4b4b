// The agent console (/Admin/Chats): offers ring in with their countdown, my chats show what is new, supervisors'
// queue stays current (the left column is fetched again when the desk changes), and the open chat is live —
// messages both ways, "typing…", read receipts — over /hubs/chat. Everything also works as plain form posts.
(() => {
  const words = document.getElementById('console-words')?.dataset;
  if (!words || !window.signalR || !window.shopChatLine) return;
  const pane = document.getElementById('console-chat');
  const chatId = pane?.dataset.chatId;
  const log = pane?.querySelector('[data-chat-log]');
  let lastSeq = Number(pane?.dataset.lastSeq) || 0;
  let buyerRead = Number(pane?.dataset.buyerRead) || 0;
  let status = pane?.dataset.status;
  const fill = (t, v) => t.replace('{0}', v);

  // Offers: a live countdown to the moment the offer moves on.
  const tick = () => document.querySelectorAll('[data-offer-until]').forEach(el => {
    const left = Math.max(0, Math.ceil((Date.parse(el.dataset.offerUntil) - Date.now()) / 1000));
    el.textContent = fill(words.sec, left);
    el.classList.toggle('text-danger', left <= 10);
  });
  setInterval(tick, 1000);
  tick();

  // The left column is rendered by the server; it is fetched again (at most once a second) when the desk changes.
  let refreshing = null;
  const refreshDesk = () => {
    if (refreshing) return;
    refreshing = setTimeout(async () => {
      try {
        const url = '/Admin/Chats/' + (chatId || '') + '?handler=Desk';
        const response = await fetch(url, { credentials: 'same-origin', headers: { 'X-Requested-With': 'fetch' } });
        if (response.ok) {
          const html = await response.text();
          const current = document.getElementById('chat-desk');
          const next = new DOMParser().parseFromString(html, 'text/html').getElementById('chat-desk');
          if (current && next) current.replaceWith(next);
          tick();
        }
      } finally { refreshing = null; }
    }, 500);
  };

  const append = m => {
    if (m.chatId !== chatId) {
      document.querySelector('[data-testid=my-chat][data-chat="' + m.chatId + '"] [data-unread]')?.classList.remove('d-none');
      return;
    }
    if (!window.shopChatLine.insert(log, window.shopChatLine.render(m, 'agent', buyerRead, words))) return;
    lastSeq = Math.max(lastSeq, m.seq);
    log.scrollTop = log.scrollHeight;
    if (m.author === 'buyer' && document.visibilityState === 'visible') read();
  };
  const read = () => chatId && connection.state === signalR.HubConnectionState.Connected && connection.invoke('Read', chatId, lastSeq).catch(() => {});
  const changed = s => {
    if (s.chatId === chatId && s.status !== status) {
      // The chat ended, moved on or became a ticket: the page shows what may be done now.
      if (s.status !== 'active' || status !== 'active') { location.reload(); return; }
    }
    if (s.chatId === chatId) { buyerRead = Math.max(buyerRead, s.buyerReadSeq); window.shopChatLine.markRead(log, buyerRead); }
    refreshDesk();
  };

  const connection = new signalR.HubConnectionBuilder().withUrl('/hubs/chat').withAutomaticReconnect([0, 1000, 2000, 5000, 10000]).build();
  connection.on('message', append);
  connection.on('chat', changed);
  connection.on('queue', refreshDesk);
  connection.on('offer', refreshDesk);
  connection.on('read', r => { if (r.chatId === chatId && r.side === 'buyer') { buyerRead = Math.max(buyerRead, r.seq); window.shopChatLine.markRead(log, buyerRead); } });
  const typing = pane?.querySelector('[data-chat-typing]');
  let typingTimer;
  connection.on('typing', t => {
    if (t.chatId !== chatId || t.author !== 'buyer' || !typing) return;
    typing.classList.remove('invisible');
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => typing.classList.add('invisible'), 4000);
  });

  // My other chats are joined too, so their new messages light up in the list.
  const join = async () => {
    const mine = [...document.querySelectorAll('[data-testid=my-chat]')].map(a => a.dataset.chat).filter(id => id !== chatId);
    for (const id of mine) await connection.invoke('Join', id, 2147483647, true).catch(() => {});
    if (chatId) {
      const view = await connection.invoke('Join', chatId, lastSeq, true);
      view.messages.forEach(append);
      changed(view.state);
      read();
    }
    document.body.dataset.consoleLive = 'true';
  };
  const start = async () => {
    try { await connection.start(); await join(); }
    catch { setTimeout(start, 3000); }
  };
  connection.onreconnected(() => join().catch(() => {}));
  connection.onclose(() => { document.body.dataset.consoleLive = 'false'; setTimeout(start, 1000); });

  const form = document.querySelector('[data-console-reply]');
  const box = form?.querySelector('textarea');
  const internal = form?.querySelector('[data-console-internal]');
  if (form && box) {
    form.addEventListener('submit', async e => {
      if (connection.state !== signalR.HubConnectionState.Connected) return;
      e.preventDefault();
      const body = box.value.trim();
      if (!body) return;
      try {
        append(await connection.invoke('Answer', chatId, body, internal?.checked === true));
        box.value = '';
        if (internal) internal.checked = false;
      } catch { form.submit(); }
    });
    box.addEventListener('keydown', e => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); form.requestSubmit(); }
    });
    let lastTyping = 0;
    box.addEventListener('input', () => {
      // An internal note's draft is nobody's business but staff's.
      if (internal?.checked || Date.now() - lastTyping < 2000 || connection.state !== signalR.HubConnectionState.Connected) return;
      lastTyping = Date.now();
      connection.invoke('Typing', chatId).catch(() => {});
    });
  }
  if (log) log.scrollTop = log.scrollHeight;
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible') read(); });
  start();
})();
