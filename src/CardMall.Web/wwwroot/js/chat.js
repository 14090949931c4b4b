// The buyer's live chat (/Chats/{id}): the page renders the whole conversation and works with plain form posts;
// this script joins /hubs/chat so messages, the place in the queue, "typing…" and read receipts arrive as they
// happen, and sends without a reload. On reconnecting it asks for what came after the last message it has.
(() => {
  const root = document.getElementById('chat');
  const words = document.getElementById('chat-words')?.dataset;
  if (!root || !words || !window.signalR || !window.shopChatLine) return;
  const chatId = root.dataset.chatId;
  const log = root.querySelector('[data-chat-log]');
  const typing = root.querySelector('[data-chat-typing]');
  const form = root.querySelector('[data-chat-send]');
  const box = form?.querySelector('textarea');
  let lastSeq = Number(root.dataset.lastSeq) || 0;
  let agentRead = Number(root.dataset.agentRead) || 0;
  let status = root.dataset.status;
  const fill = (t, ...v) => v.reduce((s, x, i) => s.replace('{' + i + '}', x), t);
  const wait = s => s == null ? words.unknown : s < 120 ? fill(words.seconds, s) : fill(words.minutes, Math.ceil(s / 60));
  const scroll = () => { log.scrollTop = log.scrollHeight; };

  const append = m => {
    if (m.chatId !== chatId || m.author === 'note') return;
    if (!window.shopChatLine.insert(log, window.shopChatLine.render(m, 'buyer', agentRead, words))) return;
    lastSeq = Math.max(lastSeq, m.seq);
    scroll();
    if (m.author !== 'buyer' && document.visibilityState === 'visible') read();
  };
  const read = () => connection.state === signalR.HubConnectionState.Connected && connection.invoke('Read', chatId, lastSeq).catch(() => {});
  const markRead = seq => {
    agentRead = Math.max(agentRead, seq);
    window.shopChatLine.markRead(log, agentRead);
  };
  const place = p => {
    root.querySelector('[data-chat-place]').textContent = fill(words.place, Math.max(0, p.position - 1), wait(p.estimatedWaitSeconds));
    root.querySelector('[data-chat-leave]')?.classList.toggle('d-none', !p.mayLeaveMessage);
  };
  const changed = s => {
    if (s.chatId !== chatId) return;
    if ((s.status === 'ended' || s.status === 'offline') && status !== s.status) { location.reload(); return; }
    status = s.status;
    // The badge on the chat and its line in the history say the same.
    document.querySelectorAll('[data-chat-status], [data-history-status="' + chatId + '"]').forEach(badge => {
      badge.textContent = words['status' + s.status[0].toUpperCase() + s.status.slice(1)];
      badge.className = 'badge rounded-pill chat-status chat-status-' + s.status;
    });
    root.querySelector('[data-chat-queue]').classList.toggle('d-none', s.status !== 'queued');
    if (s.status === 'queued' && s.position) place(s);
    if (s.agent) root.querySelector('[data-chat-agent]').textContent = fill(words.with, s.agent);
    markRead(s.agentReadSeq);
  };

  const connection = new signalR.HubConnectionBuilder().withUrl('/hubs/chat').withAutomaticReconnect([0, 1000, 2000, 5000, 10000]).build();
  connection.on('message', append);
  connection.on('chat', changed);
  connection.on('place', p => { if (p.chatId === chatId && status === 'queued') place(p); });
  connection.on('read', r => { if (r.chatId === chatId && r.side === 'agent') markRead(r.seq); });
  let typingTimer;
  connection.on('typing', t => {
    if (t.chatId !== chatId || t.author !== 'agent') return;
    typing.classList.remove('invisible');
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => typing.classList.add('invisible'), 4000);
  });

  // Joining (and joining again after a drop) returns the state and every message after the last one shown.
  const join = async () => {
    const view = await connection.invoke('Join', chatId, lastSeq, false);
    view.messages.forEach(append);
    changed(view.state);
    root.dataset.live = 'true';
    read();
  };
  const start = async () => {
    try { await connection.start(); await join(); }
    catch { root.dataset.live = 'false'; setTimeout(start, 3000); }
  };
  connection.onreconnecting(() => { root.dataset.live = 'false'; });
  connection.onreconnected(() => join().catch(() => {}));
  // Reconnecting gave up (or the connection was stopped): start again, and catch up.
  let pausedUntil = 0;
  connection.onclose(() => { root.dataset.live = 'false'; setTimeout(start, Math.max(1000, pausedUntil - Date.now())); });
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible') read(); });
  // For the browser tests and for a buyer's "retry": drop the connection as a network cut would.
  window.shopChat = { drop: (ms = 0) => { pausedUntil = Date.now() + ms; return connection.stop(); } };

  if (form && box) {
    form.addEventListener('submit', async e => {
      if (connection.state !== signalR.HubConnectionState.Connected) return; // the form posts as without script
      e.preventDefault();
      const body = box.value.trim();
      if (!body) return;
      try {
        append(await connection.invoke('Send', chatId, body));
        box.value = '';
      } catch { form.submit(); }
    });
    box.addEventListener('keydown', e => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); form.requestSubmit(); }
    });
    let lastTyping = 0;
    box.addEventListener('input', () => {
      if (Date.now() - lastTyping < 2000 || connection.state !== signalR.HubConnectionState.Connected) return;
      lastTyping = Date.now();
      connection.invoke('Typing', chatId).catch(() => {});
    });
    root.querySelectorAll('[data-chat-ask]').forEach(b => b.addEventListener('click', () => { box.value = b.dataset.chatAsk; form.requestSubmit(); }));
  }
  // Choosing a picture sends it at once; without script the "send image" button does.
  const image = root.querySelector('[data-chat-image]');
  if (image) {
    root.querySelector('[data-chat-image-send]')?.classList.add('d-none');
    image.addEventListener('change', () => { if (image.files.length > 0) image.form.submit(); });
  }
  scroll();
  start();
})();
